// verify-report.js recovers the signer of an EIP-712 EpochReport with ethers,
// as any Ethereum wallet or dapp would. It reads one JSON object from stdin:
//   {"domain": {...}, "message": {...}, "signature": "0x…"}
// and prints the recovered address. Used by chain's tests to check that
// Ganglion's signatures verify with standard tooling.
"use strict";
const { verifyTypedData } = require("ethers");

const types = {
  EpochReport: [
    { name: "netuid", type: "uint16" },
    { name: "epoch", type: "uint64" },
    { name: "emissionsRoot", type: "bytes32" },
    { name: "totalEmission", type: "uint256" },
  ],
};

let input = "";
process.stdin.setEncoding("utf8");
process.stdin.on("data", (chunk) => (input += chunk));
process.stdin.on("end", () => {
  try {
    const { domain, message, signature } = JSON.parse(input);
    process.stdout.write(verifyTypedData(domain, types, message, signature) + "\n");
  } catch (err) {
    process.stderr.write(String(err && err.message ? err.message : err) + "\n");
    process.exit(1);
  }
});
