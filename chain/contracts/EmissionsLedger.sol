// SPDX-License-Identifier: MIT
pragma solidity 0.8.37;

/// @notice What the ledger reads from the SubnetRegistry.
interface IValidatorSet {
    function netuid() external view returns (uint16);
    function votingPower(address validator) external view returns (uint256 power, uint256 total, uint64 version);
    function noteEmission(uint16 uid, address account, uint64 epoch, uint256 amount) external;
}

/// @title EmissionsLedger: finalised epoch reports and Merkle claims of one Ganglion subnet.
/// @notice Validators sign an EIP-712 EpochReport {netuid, epoch, emissionsRoot, totalEmission} under the domain
/// {name "Ganglion", version "1", chainId, verifyingContract}. A report is final once validators holding more than
/// 2/3 of the permitted stake (3·signed > 2·total) signed it: all signatures at once through
/// finalizeWithSignatures, or one by one through attest (votes are counted per validator-set version: a stake
/// change starts the count afresh). Epochs finalise once and strictly increase from 1. Emissions are paid in the
/// chain's native coin from a pool anyone can fund (at most 2^128-1 wei); finalising reserves totalEmission from it. Each (epoch, uid)
/// leaf keccak256(bytes.concat(keccak256(abi.encode(epoch, uid, account, amount)))) is claimable once with a
/// sorted-pair Merkle proof; the payment goes to account whoever sends the claim.
contract EmissionsLedger {
    struct EpochReport {
        uint16 netuid;
        uint64 epoch;
        bytes32 emissionsRoot;
        uint256 totalEmission;
    }

    /// A finalised epoch (two storage slots; the validator-set version, stake and block are in the
    /// EpochFinalized event). emissionsRoot is zero until the epoch is final.
    struct Epoch {
        bytes32 emissionsRoot;
        uint128 totalEmission;
        uint128 remaining; // not yet claimed
    }

    bytes32 public constant EPOCH_REPORT_TYPEHASH =
        keccak256("EpochReport(uint16 netuid,uint64 epoch,bytes32 emissionsRoot,uint256 totalEmission)");
    bytes32 internal constant DOMAIN_TYPEHASH =
        keccak256("EIP712Domain(string name,string version,uint256 chainId,address verifyingContract)");
    bytes32 internal constant NAME_HASH = keccak256("Ganglion");
    bytes32 internal constant VERSION_HASH = keccak256("1");
    // secp256k1n / 2: larger s values are the malleable twin of a valid signature.
    uint256 internal constant HALF_N = 0x7fffffffffffffffffffffffffffffff5d576e7357a4501ddfe92f46681b20a0;

    IValidatorSet public immutable registry;
    uint16 public immutable netuid;
    uint256 internal immutable cachedChainId;
    bytes32 internal immutable cachedDomainSeparator;

    // One storage slot: finalising updates both.
    uint128 public available; // pool not reserved for finalised epochs
    uint64 public latestEpoch; // highest finalised epoch
    mapping(uint64 => Epoch) internal epochs;
    mapping(uint64 => mapping(uint256 => uint256)) internal claimedBits;
    // keccak256(epoch, version, validator) => voted; keccak256(epoch, version, digest) => signed stake
    mapping(bytes32 => bool) internal voted;
    mapping(bytes32 => uint256) internal tally;

    event Funded(address indexed from, uint256 amount, uint256 available);
    event Attested(uint64 indexed epoch, address indexed validator, bytes32 digest, uint256 signedStake, uint256 totalStake);
    event EpochFinalized(
        uint64 indexed epoch,
        bytes32 emissionsRoot,
        uint256 totalEmission,
        uint256 signedStake,
        uint256 totalStake,
        uint64 validatorSetVersion
    );
    event Claimed(uint64 indexed epoch, uint16 indexed uid, address indexed account, uint256 amount);

    error WrongNetuid(uint16 got, uint16 want);
    error StaleEpoch(uint64 epoch, uint64 latest);
    error EpochAlreadyFinalized(uint64 epoch);
    error InvalidSignature();
    error UnknownValidator(address signer);
    error SignersNotAscending(address previous, address signer);
    error AlreadyVoted(address validator);
    error QuorumNotReached(uint256 signedStake, uint256 totalStake);
    error InsufficientPool(uint256 available, uint256 totalEmission);
    error EpochNotFinalized(uint64 epoch);
    error AlreadyClaimed(uint64 epoch, uint16 uid);
    error InvalidProof();
    error ClaimExceedsTotal(uint256 amount, uint256 remaining);
    error EmissionTooLarge(uint256 amount);
    error ZeroRoot();
    error ZeroAmount();
    error TransferFailed();

    constructor(IValidatorSet registry_) {
        registry = registry_;
        netuid = registry_.netuid();
        cachedChainId = block.chainid;
        cachedDomainSeparator = _buildDomainSeparator();
    }

    // ---- pool ----

    function fund() external payable {
        _fund();
    }

    receive() external payable {
        _fund();
    }

    function _fund() internal {
        if (msg.value == 0) revert ZeroAmount();
        if (msg.value > type(uint128).max - available) revert EmissionTooLarge(msg.value);
        available += uint128(msg.value);
        emit Funded(msg.sender, msg.value, available);
    }

    // ---- reports ----

    function domainSeparator() public view returns (bytes32) {
        if (block.chainid == cachedChainId) return cachedDomainSeparator;
        return _buildDomainSeparator();
    }

    /// @notice The EIP-712 digest validators sign for report r.
    function hashReport(EpochReport calldata r) public view returns (bytes32) {
        bytes32 structHash =
            keccak256(abi.encode(EPOCH_REPORT_TYPEHASH, r.netuid, r.epoch, r.emissionsRoot, r.totalEmission));
        return keccak256(abi.encodePacked("\x19\x01", domainSeparator(), structHash));
    }

    /// @notice Finalises r with the signatures of validators holding more than 2/3 of the permitted stake,
    /// sorted by ascending signer address.
    function finalizeWithSignatures(EpochReport calldata r, bytes[] calldata sigs) external {
        _checkReport(r);
        bytes32 digest = hashReport(r);
        uint256 signed;
        uint256 total;
        uint64 version;
        address prev;
        for (uint256 i = 0; i < sigs.length; i++) {
            address signer = _recover(digest, sigs[i]);
            if (signer <= prev) revert SignersNotAscending(prev, signer);
            prev = signer;
            (uint256 power, uint256 tot, uint64 ver) = registry.votingPower(signer);
            if (power == 0) revert UnknownValidator(signer);
            signed += power;
            total = tot;
            version = ver;
        }
        if (sigs.length == 0) (, total, version) = registry.votingPower(address(0));
        if (!_quorum(signed, total)) revert QuorumNotReached(signed, total);
        _finalize(r, signed, total, version);
    }

    /// @notice Counts one validator's signature on r (sent by anyone); finalises r when the votes for it under
    /// the current validator-set version pass 2/3 of the stake. Returns whether r is now final.
    function attest(EpochReport calldata r, bytes calldata sig) external returns (bool finalized) {
        _checkReport(r);
        bytes32 digest = hashReport(r);
        address signer = _recover(digest, sig);
        (uint256 power, uint256 total, uint64 version) = registry.votingPower(signer);
        if (power == 0) revert UnknownValidator(signer);
        bytes32 voteKey = keccak256(abi.encode(r.epoch, version, signer));
        if (voted[voteKey]) revert AlreadyVoted(signer);
        voted[voteKey] = true;
        bytes32 tallyKey = keccak256(abi.encode(r.epoch, version, digest));
        uint256 signed = tally[tallyKey] + power;
        tally[tallyKey] = signed;
        emit Attested(r.epoch, signer, digest, signed, total);
        if (_quorum(signed, total)) {
            _finalize(r, signed, total, version);
            return true;
        }
        return false;
    }

    /// @notice Stake that signed report r under the current validator-set version through attest.
    function attestedStake(EpochReport calldata r) external view returns (uint256 signed, uint256 total, uint64 version) {
        (, total, version) = registry.votingPower(address(0));
        signed = tally[keccak256(abi.encode(r.epoch, version, hashReport(r)))];
    }

    /// @notice Whether validator voted in epoch under validator-set version.
    function hasVoted(uint64 epoch, uint64 version, address validator) external view returns (bool) {
        return voted[keccak256(abi.encode(epoch, version, validator))];
    }

    function getEpoch(uint64 epoch) external view returns (Epoch memory) {
        return epochs[epoch];
    }

    // ---- claims ----

    function isClaimed(uint64 epoch, uint16 uid) public view returns (bool) {
        return claimedBits[epoch][uid >> 8] & (uint256(1) << (uid & 0xff)) != 0;
    }

    /// @notice The Merkle leaf of one emission.
    function leaf(uint64 epoch, uint16 uid, address account, uint256 amount) public pure returns (bytes32) {
        return keccak256(bytes.concat(keccak256(abi.encode(epoch, uid, account, amount))));
    }

    /// @notice Pays amount to account for (epoch, uid) once, given a proof against the epoch's emissions root.
    function claim(uint64 epoch, uint16 uid, address account, uint256 amount, bytes32[] calldata proof) external {
        Epoch storage e = epochs[epoch];
        if (e.emissionsRoot == bytes32(0)) revert EpochNotFinalized(epoch);
        if (isClaimed(epoch, uid)) revert AlreadyClaimed(epoch, uid);
        bytes32 h = leaf(epoch, uid, account, amount);
        for (uint256 i = 0; i < proof.length; i++) {
            bytes32 p = proof[i];
            h = h < p ? keccak256(abi.encode(h, p)) : keccak256(abi.encode(p, h));
        }
        if (h != e.emissionsRoot) revert InvalidProof();
        if (amount > e.remaining) revert ClaimExceedsTotal(amount, e.remaining);
        claimedBits[epoch][uid >> 8] |= uint256(1) << (uid & 0xff);
        e.remaining -= uint128(amount);
        emit Claimed(epoch, uid, account, amount);
        registry.noteEmission(uid, account, epoch, amount);
        if (amount != 0) {
            (bool ok,) = payable(account).call{value: amount}("");
            if (!ok) revert TransferFailed();
        }
    }

    // ---- internals ----

    function _buildDomainSeparator() internal view returns (bytes32) {
        return keccak256(abi.encode(DOMAIN_TYPEHASH, NAME_HASH, VERSION_HASH, block.chainid, address(this)));
    }

    function _checkReport(EpochReport calldata r) internal view {
        if (r.netuid != netuid) revert WrongNetuid(r.netuid, netuid);
        if (r.emissionsRoot == bytes32(0)) revert ZeroRoot();
        if (epochs[r.epoch].emissionsRoot != bytes32(0)) revert EpochAlreadyFinalized(r.epoch);
        if (r.epoch <= latestEpoch) revert StaleEpoch(r.epoch, latestEpoch);
    }

    function _quorum(uint256 signed, uint256 total) internal pure returns (bool) {
        return total != 0 && 3 * signed > 2 * total;
    }

    /// @dev Recovers the signer of a 65-byte r‖s‖v signature with v ∈ {27, 28} and s in the lower half order.
    function _recover(bytes32 digest, bytes calldata sig) internal pure returns (address signer) {
        if (sig.length != 65) revert InvalidSignature();
        bytes32 r;
        bytes32 s;
        uint8 v;
        assembly {
            r := calldataload(sig.offset)
            s := calldataload(add(sig.offset, 32))
            v := byte(0, calldataload(add(sig.offset, 64)))
        }
        if ((v != 27 && v != 28) || uint256(s) > HALF_N) revert InvalidSignature();
        signer = ecrecover(digest, v, r, s);
        if (signer == address(0)) revert InvalidSignature();
    }

    function _finalize(EpochReport calldata r, uint256 signed, uint256 total, uint64 version) internal {
        if (r.totalEmission > available) revert InsufficientPool(available, r.totalEmission);
        uint128 total128 = uint128(r.totalEmission); // fits: available is a uint128
        available -= total128;
        latestEpoch = r.epoch;
        epochs[r.epoch] = Epoch(r.emissionsRoot, total128, total128);
        emit EpochFinalized(r.epoch, r.emissionsRoot, r.totalEmission, signed, total, version);
    }
}
