// Code generated via abigen V2 - DO NOT EDIT.
// This file is a generated binding and any manual changes will be lost.

package bindings

import (
	"bytes"
	"errors"
	"math/big"

	"github.com/ethereum/go-ethereum/accounts/abi"
	"github.com/ethereum/go-ethereum/accounts/abi/bind/v2"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"
)

// Reference imports to suppress errors if they are not otherwise used.
var (
	_ = bytes.Equal
	_ = errors.New
	_ = big.NewInt
	_ = common.Big1
	_ = types.BloomLookup
	_ = abi.ConvertType
)

// EmissionsLedgerEpoch is an auto generated low-level Go binding around an user-defined struct.
type EmissionsLedgerEpoch struct {
	EmissionsRoot [32]byte
	TotalEmission *big.Int
	Remaining     *big.Int
}

// EmissionsLedgerEpochReport is an auto generated low-level Go binding around an user-defined struct.
type EmissionsLedgerEpochReport struct {
	Netuid        uint16
	Epoch         uint64
	EmissionsRoot [32]byte
	TotalEmission *big.Int
}

// EmissionsLedgerMetaData contains all meta data concerning the EmissionsLedger contract.
var EmissionsLedgerMetaData = bind.MetaData{
	ABI: "[{\"inputs\":[{\"internalType\":\"contractIValidatorSet\",\"name\":\"registry_\",\"type\":\"address\"}],\"stateMutability\":\"nonpayable\",\"type\":\"constructor\"},{\"inputs\":[{\"internalType\":\"uint64\",\"name\":\"epoch\",\"type\":\"uint64\"},{\"internalType\":\"uint16\",\"name\":\"uid\",\"type\":\"uint16\"}],\"name\":\"AlreadyClaimed\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"address\",\"name\":\"validator\",\"type\":\"address\"}],\"name\":\"AlreadyVoted\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"uint256\",\"name\":\"amount\",\"type\":\"uint256\"},{\"internalType\":\"uint256\",\"name\":\"remaining\",\"type\":\"uint256\"}],\"name\":\"ClaimExceedsTotal\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"uint256\",\"name\":\"amount\",\"type\":\"uint256\"}],\"name\":\"EmissionTooLarge\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"uint64\",\"name\":\"epoch\",\"type\":\"uint64\"}],\"name\":\"EpochAlreadyFinalized\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"uint64\",\"name\":\"epoch\",\"type\":\"uint64\"}],\"name\":\"EpochNotFinalized\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"uint256\",\"name\":\"available\",\"type\":\"uint256\"},{\"internalType\":\"uint256\",\"name\":\"totalEmission\",\"type\":\"uint256\"}],\"name\":\"InsufficientPool\",\"type\":\"error\"},{\"inputs\":[],\"name\":\"InvalidProof\",\"type\":\"error\"},{\"inputs\":[],\"name\":\"InvalidSignature\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"uint256\",\"name\":\"signedStake\",\"type\":\"uint256\"},{\"internalType\":\"uint256\",\"name\":\"totalStake\",\"type\":\"uint256\"}],\"name\":\"QuorumNotReached\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"address\",\"name\":\"previous\",\"type\":\"address\"},{\"internalType\":\"address\",\"name\":\"signer\",\"type\":\"address\"}],\"name\":\"SignersNotAscending\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"uint64\",\"name\":\"epoch\",\"type\":\"uint64\"},{\"internalType\":\"uint64\",\"name\":\"latest\",\"type\":\"uint64\"}],\"name\":\"StaleEpoch\",\"type\":\"error\"},{\"inputs\":[],\"name\":\"TransferFailed\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"address\",\"name\":\"signer\",\"type\":\"address\"}],\"name\":\"UnknownValidator\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"uint16\",\"name\":\"got\",\"type\":\"uint16\"},{\"internalType\":\"uint16\",\"name\":\"want\",\"type\":\"uint16\"}],\"name\":\"WrongNetuid\",\"type\":\"error\"},{\"inputs\":[],\"name\":\"ZeroAmount\",\"type\":\"error\"},{\"inputs\":[],\"name\":\"ZeroRoot\",\"type\":\"error\"},{\"anonymous\":false,\"inputs\":[{\"indexed\":true,\"internalType\":\"uint64\",\"name\":\"epoch\",\"type\":\"uint64\"},{\"indexed\":true,\"internalType\":\"address\",\"name\":\"validator\",\"type\":\"address\"},{\"indexed\":false,\"internalType\":\"bytes32\",\"name\":\"digest\",\"type\":\"bytes32\"},{\"indexed\":false,\"internalType\":\"uint256\",\"name\":\"signedStake\",\"type\":\"uint256\"},{\"indexed\":false,\"internalType\":\"uint256\",\"name\":\"totalStake\",\"type\":\"uint256\"}],\"name\":\"Attested\",\"type\":\"event\"},{\"anonymous\":false,\"inputs\":[{\"indexed\":true,\"internalType\":\"uint64\",\"name\":\"epoch\",\"type\":\"uint64\"},{\"indexed\":true,\"internalType\":\"uint16\",\"name\":\"uid\",\"type\":\"uint16\"},{\"indexed\":true,\"internalType\":\"address\",\"name\":\"account\",\"type\":\"address\"},{\"indexed\":false,\"internalType\":\"uint256\",\"name\":\"amount\",\"type\":\"uint256\"}],\"name\":\"Claimed\",\"type\":\"event\"},{\"anonymous\":false,\"inputs\":[{\"indexed\":true,\"internalType\":\"uint64\",\"name\":\"epoch\",\"type\":\"uint64\"},{\"indexed\":false,\"internalType\":\"bytes32\",\"name\":\"emissionsRoot\",\"type\":\"bytes32\"},{\"indexed\":false,\"internalType\":\"uint256\",\"name\":\"totalEmission\",\"type\":\"uint256\"},{\"indexed\":false,\"internalType\":\"uint256\",\"name\":\"signedStake\",\"type\":\"uint256\"},{\"indexed\":false,\"internalType\":\"uint256\",\"name\":\"totalStake\",\"type\":\"uint256\"},{\"indexed\":false,\"internalType\":\"uint64\",\"name\":\"validatorSetVersion\",\"type\":\"uint64\"}],\"name\":\"EpochFinalized\",\"type\":\"event\"},{\"anonymous\":false,\"inputs\":[{\"indexed\":true,\"internalType\":\"address\",\"name\":\"from\",\"type\":\"address\"},{\"indexed\":false,\"internalType\":\"uint256\",\"name\":\"amount\",\"type\":\"uint256\"},{\"indexed\":false,\"internalType\":\"uint256\",\"name\":\"available\",\"type\":\"uint256\"}],\"name\":\"Funded\",\"type\":\"event\"},{\"inputs\":[],\"name\":\"EPOCH_REPORT_TYPEHASH\",\"outputs\":[{\"internalType\":\"bytes32\",\"name\":\"\",\"type\":\"bytes32\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[{\"components\":[{\"internalType\":\"uint16\",\"name\":\"netuid\",\"type\":\"uint16\"},{\"internalType\":\"uint64\",\"name\":\"epoch\",\"type\":\"uint64\"},{\"internalType\":\"bytes32\",\"name\":\"emissionsRoot\",\"type\":\"bytes32\"},{\"internalType\":\"uint256\",\"name\":\"totalEmission\",\"type\":\"uint256\"}],\"internalType\":\"structEmissionsLedger.EpochReport\",\"name\":\"r\",\"type\":\"tuple\"},{\"internalType\":\"bytes\",\"name\":\"sig\",\"type\":\"bytes\"}],\"name\":\"attest\",\"outputs\":[{\"internalType\":\"bool\",\"name\":\"finalized\",\"type\":\"bool\"}],\"stateMutability\":\"nonpayable\",\"type\":\"function\"},{\"inputs\":[{\"components\":[{\"internalType\":\"uint16\",\"name\":\"netuid\",\"type\":\"uint16\"},{\"internalType\":\"uint64\",\"name\":\"epoch\",\"type\":\"uint64\"},{\"internalType\":\"bytes32\",\"name\":\"emissionsRoot\",\"type\":\"bytes32\"},{\"internalType\":\"uint256\",\"name\":\"totalEmission\",\"type\":\"uint256\"}],\"internalType\":\"structEmissionsLedger.EpochReport\",\"name\":\"r\",\"type\":\"tuple\"}],\"name\":\"attestedStake\",\"outputs\":[{\"internalType\":\"uint256\",\"name\":\"signed\",\"type\":\"uint256\"},{\"internalType\":\"uint256\",\"name\":\"total\",\"type\":\"uint256\"},{\"internalType\":\"uint64\",\"name\":\"version\",\"type\":\"uint64\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"available\",\"outputs\":[{\"internalType\":\"uint128\",\"name\":\"\",\"type\":\"uint128\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"uint64\",\"name\":\"epoch\",\"type\":\"uint64\"},{\"internalType\":\"uint16\",\"name\":\"uid\",\"type\":\"uint16\"},{\"internalType\":\"address\",\"name\":\"account\",\"type\":\"address\"},{\"internalType\":\"uint256\",\"name\":\"amount\",\"type\":\"uint256\"},{\"internalType\":\"bytes32[]\",\"name\":\"proof\",\"type\":\"bytes32[]\"}],\"name\":\"claim\",\"outputs\":[],\"stateMutability\":\"nonpayable\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"domainSeparator\",\"outputs\":[{\"internalType\":\"bytes32\",\"name\":\"\",\"type\":\"bytes32\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[{\"components\":[{\"internalType\":\"uint16\",\"name\":\"netuid\",\"type\":\"uint16\"},{\"internalType\":\"uint64\",\"name\":\"epoch\",\"type\":\"uint64\"},{\"internalType\":\"bytes32\",\"name\":\"emissionsRoot\",\"type\":\"bytes32\"},{\"internalType\":\"uint256\",\"name\":\"totalEmission\",\"type\":\"uint256\"}],\"internalType\":\"structEmissionsLedger.EpochReport\",\"name\":\"r\",\"type\":\"tuple\"},{\"internalType\":\"bytes[]\",\"name\":\"sigs\",\"type\":\"bytes[]\"}],\"name\":\"finalizeWithSignatures\",\"outputs\":[],\"stateMutability\":\"nonpayable\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"fund\",\"outputs\":[],\"stateMutability\":\"payable\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"uint64\",\"name\":\"epoch\",\"type\":\"uint64\"}],\"name\":\"getEpoch\",\"outputs\":[{\"components\":[{\"internalType\":\"bytes32\",\"name\":\"emissionsRoot\",\"type\":\"bytes32\"},{\"internalType\":\"uint128\",\"name\":\"totalEmission\",\"type\":\"uint128\"},{\"internalType\":\"uint128\",\"name\":\"remaining\",\"type\":\"uint128\"}],\"internalType\":\"structEmissionsLedger.Epoch\",\"name\":\"\",\"type\":\"tuple\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"uint64\",\"name\":\"epoch\",\"type\":\"uint64\"},{\"internalType\":\"uint64\",\"name\":\"version\",\"type\":\"uint64\"},{\"internalType\":\"address\",\"name\":\"validator\",\"type\":\"address\"}],\"name\":\"hasVoted\",\"outputs\":[{\"internalType\":\"bool\",\"name\":\"\",\"type\":\"bool\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[{\"components\":[{\"internalType\":\"uint16\",\"name\":\"netuid\",\"type\":\"uint16\"},{\"internalType\":\"uint64\",\"name\":\"epoch\",\"type\":\"uint64\"},{\"internalType\":\"bytes32\",\"name\":\"emissionsRoot\",\"type\":\"bytes32\"},{\"internalType\":\"uint256\",\"name\":\"totalEmission\",\"type\":\"uint256\"}],\"internalType\":\"structEmissionsLedger.EpochReport\",\"name\":\"r\",\"type\":\"tuple\"}],\"name\":\"hashReport\",\"outputs\":[{\"internalType\":\"bytes32\",\"name\":\"\",\"type\":\"bytes32\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"uint64\",\"name\":\"epoch\",\"type\":\"uint64\"},{\"internalType\":\"uint16\",\"name\":\"uid\",\"type\":\"uint16\"}],\"name\":\"isClaimed\",\"outputs\":[{\"internalType\":\"bool\",\"name\":\"\",\"type\":\"bool\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"latestEpoch\",\"outputs\":[{\"internalType\":\"uint64\",\"name\":\"\",\"type\":\"uint64\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"uint64\",\"name\":\"epoch\",\"type\":\"uint64\"},{\"internalType\":\"uint16\",\"name\":\"uid\",\"type\":\"uint16\"},{\"internalType\":\"address\",\"name\":\"account\",\"type\":\"address\"},{\"internalType\":\"uint256\",\"name\":\"amount\",\"type\":\"uint256\"}],\"name\":\"leaf\",\"outputs\":[{\"internalType\":\"bytes32\",\"name\":\"\",\"type\":\"bytes32\"}],\"stateMutability\":\"pure\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"netuid\",\"outputs\":[{\"internalType\":\"uint16\",\"name\":\"\",\"type\":\"uint16\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"registry\",\"outputs\":[{\"internalType\":\"contractIValidatorSet\",\"name\":\"\",\"type\":\"address\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"stateMutability\":\"payable\",\"type\":\"receive\"}]",
	ID:  "EmissionsLedger",
	Bin: "0x610100604052348015610010575f5ffd5b50604051611c89380380611c8983398101604081905261002f91610156565b6001600160a01b03811660808190526040805163e78015b160e01b8152905163e78015b1916004808201926020929091908290030181865afa158015610077573d5f5f3e3d5ffd5b505050506040513d601f19601f8201168201806040525081019061009b9190610183565b61ffff1660a0524660c05261014d604080517f8b73c3c69bb8fe3d512ecc4cf759cc79239f7b179b0ffacaa9a75d522b39400f60208201527f66d1ecf33d87bfa64be2a482a04d09950f9173997a405927fabe8a0fdcd79be6918101919091527fc89efdaa54c0f20c7adf612882df0950f5a951637e0307cdcb4c672f298b8bc660608201524660808201523060a08201525f9060c00160405160208183030381529060405280519060200120905090565b60e052506101a4565b5f60208284031215610166575f5ffd5b81516001600160a01b038116811461017c575f5ffd5b9392505050565b5f60208284031215610193575f5ffd5b815161ffff8116811461017c575f5ffd5b60805160a05160c05160e051611a816102085f395f610e3701525f610e0f01525f81816103e0015281816111bc015261121901525f818161031201528181610606015281816107870152818161088901528181610d290152610f4f0152611a815ff3fe6080604052600436106100f2575f3560e01c80637b10399911610087578063b60d428811610057578063b60d4288146103c7578063e78015b1146103cf578063f698da2514610415578063f7a54bf814610429575f5ffd5b80637b103999146103015780637bf4b8fb1461034c5780639cb118bf1461036b578063a658209f146103a8575f5ffd5b806348a0d754116100c257806348a0d7541461025a578063597468ee146102905780637642d0de146102af5780637760d16c146102ce575f5ffd5b80630a0cc2ed1461010557806312a02c82146101375780631d0f9c6f146101e857806332dc2bff14610217575f5ffd5b36610101576100ff610448565b005b5f5ffd5b348015610110575f5ffd5b5061012461011f36600461168f565b61052d565b6040519081526020015b60405180910390f35b348015610142575f5ffd5b506101b56101513660046116d9565b60408051606080820183525f80835260208084018290529284018190526001600160401b039490941684526001808352938390208351918201845280548252909301546001600160801b0380821692850192909252600160801b9004169082015290565b60408051825181526020808401516001600160801b0390811691830191909152928201519092169082015260600161012e565b3480156101f3575f5ffd5b506102076102023660046116f4565b6105a4565b604051901515815260200161012e565b348015610222575f5ffd5b5061023661023136600461173d565b6105e2565b6040805193845260208401929092526001600160401b03169082015260600161012e565b348015610265575f5ffd5b505f54610278906001600160801b031681565b6040516001600160801b03909116815260200161012e565b34801561029b575f5ffd5b506100ff6102aa36600461179e565b6106e7565b3480156102ba575f5ffd5b506102076102c93660046117ed565b610948565b3480156102d9575f5ffd5b506101247ffa5c94daaa03e7469e5e8c65845bfa7ef9d5f8d9464b4f90785216d3f4cf267781565b34801561030c575f5ffd5b506103347f000000000000000000000000000000000000000000000000000000000000000081565b6040516001600160a01b03909116815260200161012e565b348015610357575f5ffd5b5061012461036636600461173d565b6109aa565b348015610376575f5ffd5b505f5461039090600160801b90046001600160401b031681565b6040516001600160401b03909116815260200161012e565b3480156103b3575f5ffd5b506100ff6103c2366004611831565b610a84565b6100ff610e02565b3480156103da575f5ffd5b506104027f000000000000000000000000000000000000000000000000000000000000000081565b60405161ffff909116815260200161012e565b348015610420575f5ffd5b50610124610e0c565b348015610434575f5ffd5b506102076104433660046118ac565b610f05565b345f0361046857604051631f2a200560e01b815260040160405180910390fd5b5f5461047f906001600160801b039081169061193d565b6001600160801b03163411156104af5760405163c3879cb160e01b81523460048201526024015b60405180910390fd5b5f805434919081906104cb9084906001600160801b031661195c565b82546101009290920a6001600160801b038181021990931691831602179091555f54604080513481529190921660208201523392507fcd909ec339185c4598a4096e174308fbdf136d117f230960f873a2f2e81f63af910160405180910390a2565b604080516001600160401b038616602082015261ffff8516918101919091526001600160a01b0383166060820152608081018290525f9060a00160408051601f1981840301815282825280516020918201209083015201604051602081830303815290604052805190602001209050949350505050565b6001600160401b0382165f90815260026020908152604080832060ff600886901c8116855292529091205460019183169190911b1615155b92915050565b60405163603a39fb60e11b81525f6004820181905290819081906001600160a01b037f0000000000000000000000000000000000000000000000000000000000000000169063c07473f690602401606060405180830381865afa15801561064b573d5f5f3e3d5ffd5b505050506040513d601f19601f8201168201806040525081019061066f919061197b565b9093509150600490505f61068960408701602088016116d9565b83610693886109aa565b604080516001600160401b039485166020820152939092169183019190915260608201526080016040516020818303038152906040528051906020012081526020019081526020015f205492509193909250565b6106f0836111b7565b5f6106fa846109aa565b90505f808080805b8681101561086b575f610738878a8a85818110610721576107216119b2565b905060200281019061073391906119c6565b61134b565b9050826001600160a01b0316816001600160a01b03161161077f576040516311641feb60e21b81526001600160a01b038085166004830152821660248201526044016104a6565b8092505f5f5f7f00000000000000000000000000000000000000000000000000000000000000006001600160a01b031663c07473f6856040518263ffffffff1660e01b81526004016107e091906001600160a01b0391909116815260200190565b606060405180830381865afa1580156107fb573d5f5f3e3d5ffd5b505050506040513d601f19601f8201168201806040525081019061081f919061197b565b925092509250825f03610850576040516374f66b9760e01b81526001600160a01b03851660048201526024016104a6565b61085a838a611a08565b985090965094505050600101610702565b505f8690036109015760405163603a39fb60e11b81525f60048201527f00000000000000000000000000000000000000000000000000000000000000006001600160a01b03169063c07473f690602401606060405180830381865afa1580156108d6573d5f5f3e3d5ffd5b505050506040513d601f19601f820116820180604052508101906108fa919061197b565b9094509250505b61090b8484611466565b61093257604051631a88566160e21b815260048101859052602481018490526044016104a6565b61093e8885858561148f565b5050505050505050565b604080516001600160401b03858116602080840191909152908516828401526001600160a01b03841660608084019190915283518084039091018152608090920183528151918101919091205f9081526003909152205460ff165b9392505050565b5f807ffa5c94daaa03e7469e5e8c65845bfa7ef9d5f8d9464b4f90785216d3f4cf26776109da6020850185611a1b565b6109ea60408601602087016116d9565b60408051602081019490945261ffff909216838301526001600160401b031660608381019190915290850135608083015284013560a082015260c001604051602081830303815290604052805190602001209050610a46610e0c565b60405161190160f01b602082015260228101919091526042810182905260620160405160208183030381529060405280519060200120915050919050565b6001600160401b0386165f9081526001602052604090208054610ac55760405163aaf0896d60e01b81526001600160401b03881660048201526024016104a6565b610acf87876105a4565b15610b0257604051631a56c53360e31b81526001600160401b038816600482015261ffff871660248201526044016104a6565b5f610b0f8888888861052d565b90505f5b83811015610ba3575f858583818110610b2e57610b2e6119b2565b905060200201359050808310610b6d57604080516020810183905290810184905260600160405160208183030381529060405280519060200120610b98565b6040805160208101859052908101829052606001604051602081830303815290604052805190602001205b925050600101610b13565b5081548114610bc5576040516309bde33960e01b815260040160405180910390fd5b6001820154600160801b90046001600160801b0316851115610c1857600182015460405163af321b8160e01b815260048101879052600160801b9091046001600160801b031660248201526044016104a6565b6001600160401b0388165f90815260026020908152604080832060ff60088c901c81168552925290912080546001928a1683901b17905582018054869190601090610c74908490600160801b90046001600160801b031661193d565b92506101000a8154816001600160801b0302191690836001600160801b03160217905550856001600160a01b03168761ffff16896001600160401b03167f660b7cefcab9386fb2e1a8b68cf073bb671893f248809fab892c85ec416b4b4c88604051610ce291815260200190565b60405180910390a46040516387164a5960e01b815261ffff881660048201526001600160a01b0387811660248301526001600160401b038a166044830152606482018790527f000000000000000000000000000000000000000000000000000000000000000016906387164a59906084015f604051808303815f87803b158015610d6a575f5ffd5b505af1158015610d7c573d5f5f3e3d5ffd5b50505050845f1461093e575f866001600160a01b0316866040515f6040518083038185875af1925050503d805f8114610dd0576040519150601f19603f3d011682016040523d82523d5f602084013e610dd5565b606091505b5050905080610df7576040516312171d8360e31b815260040160405180910390fd5b505050505050505050565b610e0a610448565b565b5f7f00000000000000000000000000000000000000000000000000000000000000004603610e5957507f000000000000000000000000000000000000000000000000000000000000000090565b610f00604080517f8b73c3c69bb8fe3d512ecc4cf759cc79239f7b179b0ffacaa9a75d522b39400f60208201527f66d1ecf33d87bfa64be2a482a04d09950f9173997a405927fabe8a0fdcd79be6918101919091527fc89efdaa54c0f20c7adf612882df0950f5a951637e0307cdcb4c672f298b8bc660608201524660808201523060a08201525f9060c00160405160208183030381529060405280519060200120905090565b905090565b5f610f0f846111b7565b5f610f19856109aa565b90505f610f2782868661134b565b60405163603a39fb60e11b81526001600160a01b0380831660048301529192505f91829182917f0000000000000000000000000000000000000000000000000000000000000000169063c07473f690602401606060405180830381865afa158015610f94573d5f5f3e3d5ffd5b505050506040513d601f19601f82011682018060405250810190610fb8919061197b565b925092509250825f03610fe9576040516374f66b9760e01b81526001600160a01b03851660048201526024016104a6565b5f610ffa60408b0160208c016116d9565b604080516001600160401b039283166020820152918416908201526001600160a01b038616606082015260800160408051601f1981840301815291815281516020928301205f818152600390935291205490915060ff161561107a57604051633512759d60e21b81526001600160a01b03861660048201526024016104a6565b5f818152600360209081526040808320805460ff191660011790556110a491908d01908d016116d9565b604080516001600160401b039283166020820152918516908201526060810188905260800160408051601f1981840301815291815281516020928301205f8181526004909352908220549092506110fc908790611a08565b5f838152600460209081526040918290208390559192506001600160a01b0389169161112c918f01908f016116d9565b604080518b8152602081018590529081018890526001600160401b0391909116907f04f445b904c6b5bcbb8550e82bd39149528dc409ba3b8f2279d5c8648403cf919060600160405180910390a36111848186611466565b156111a6576111958c82878761148f565b6001985050505050505050506109a3565b505f9b9a5050505050505050505050565b61ffff7f0000000000000000000000000000000000000000000000000000000000000000166111e96020830183611a1b565b61ffff1614611248576111ff6020820182611a1b565b604051633348485160e11b815261ffff91821660048201527f000000000000000000000000000000000000000000000000000000000000000090911660248201526044016104a6565b604081013561126a5760405163b263ae7360e01b815260040160405180910390fd5b5f60018161127e60408501602086016116d9565b6001600160401b0316815260208101919091526040015f2054146112d1576112ac60408201602083016116d9565b60405163074f357360e31b81526001600160401b0390911660048201526024016104a6565b5f54600160801b90046001600160401b03166112f360408301602084016116d9565b6001600160401b0316116113485761131160408201602083016116d9565b5f54604051636742e21160e11b81526001600160401b039283166004820152600160801b90910490911660248201526044016104a6565b50565b5f6041821461136d57604051638baa579f60e01b815260040160405180910390fd5b8235602084013560408501355f1a601b811480159061139057508060ff16601c14155b806113ba57507f7fffffffffffffffffffffffffffffff5d576e7357a4501ddfe92f46681b20a082115b156113d857604051638baa579f60e01b815260040160405180910390fd5b604080515f81526020810180835289905260ff831691810191909152606081018490526080810183905260019060a0016020604051602081039080840390855afa158015611428573d5f5f3e3d5ffd5b5050604051601f1901519450506001600160a01b03841661145c57604051638baa579f60e01b815260040160405180910390fd5b5050509392505050565b5f81158015906109a3575061147c826002611a34565b611487846003611a34565b119392505050565b5f546001600160801b0316606085013511156114d6575f5460405163b9b3b6b960e01b81526001600160801b039091166004820152606085013560248201526044016104a6565b5f8054606086013591829181906114f79084906001600160801b031661193d565b92506101000a8154816001600160801b0302191690836001600160801b0316021790555084602001602081019061152e91906116d9565b5f80546001600160401b0392909216600160801b0267ffffffffffffffff60801b1990921691909117815560408051606081018252878201803582526001600160801b03851660208084018290529383015290926001929091611592918a016116d9565b6001600160401b0316815260208082019290925260409081015f208351815583830151938201516001600160801b03908116600160801b029416939093176001909301929092556115e79187019087016116d9565b60408051878201358152606080890135602083015281830188905281018690526001600160401b038581166080830152915192909116917f81cc719f5da726e78df908c08122a9d1350a49576186f228134b20c98f266a7d9181900360a00190a25050505050565b6001600160401b0381168114611348575f5ffd5b803561ffff81168114611674575f5ffd5b919050565b80356001600160a01b0381168114611674575f5ffd5b5f5f5f5f608085870312156116a2575f5ffd5b84356116ad8161164f565b93506116bb60208601611663565b92506116c960408601611679565b9396929550929360600135925050565b5f602082840312156116e9575f5ffd5b81356109a38161164f565b5f5f60408385031215611705575f5ffd5b82356117108161164f565b915061171e60208401611663565b90509250929050565b5f60808284031215611737575f5ffd5b50919050565b5f6080828403121561174d575f5ffd5b6109a38383611727565b5f5f83601f840112611767575f5ffd5b5081356001600160401b0381111561177d575f5ffd5b6020830191508360208260051b8501011115611797575f5ffd5b9250929050565b5f5f5f60a084860312156117b0575f5ffd5b6117ba8585611727565b925060808401356001600160401b038111156117d4575f5ffd5b6117e086828701611757565b9497909650939450505050565b5f5f5f606084860312156117ff575f5ffd5b833561180a8161164f565b9250602084013561181a8161164f565b915061182860408501611679565b90509250925092565b5f5f5f5f5f5f60a08789031215611846575f5ffd5b86356118518161164f565b955061185f60208801611663565b945061186d60408801611679565b93506060870135925060808701356001600160401b0381111561188e575f5ffd5b61189a89828a01611757565b979a9699509497509295939492505050565b5f5f5f60a084860312156118be575f5ffd5b6118c88585611727565b925060808401356001600160401b038111156118e2575f5ffd5b8401601f810186136118f2575f5ffd5b80356001600160401b03811115611907575f5ffd5b866020828401011115611918575f5ffd5b939660209190910195509293505050565b634e487b7160e01b5f52601160045260245ffd5b6001600160801b0382811682821603908111156105dc576105dc611929565b6001600160801b0381811683821601908111156105dc576105dc611929565b5f5f5f6060848603121561198d575f5ffd5b83516020850151604086015191945092506119a78161164f565b809150509250925092565b634e487b7160e01b5f52603260045260245ffd5b5f5f8335601e198436030181126119db575f5ffd5b8301803591506001600160401b038211156119f4575f5ffd5b602001915036819003821315611797575f5ffd5b808201808211156105dc576105dc611929565b5f60208284031215611a2b575f5ffd5b6109a382611663565b80820281158282048414176105dc576105dc61192956fea26469706673582212205de0f8d3521995d1034cabc2eafcc6406e3dfd02401e5dc485be893321d9234264736f6c63430008250033",
}

// EmissionsLedger is an auto generated Go binding around an Ethereum contract.
type EmissionsLedger struct {
	abi abi.ABI
}

// GetABI returns the ABI associated with this contract binding.
func (c *EmissionsLedger) GetABI() abi.ABI {
	return c.abi
}

// NewEmissionsLedger creates a new instance of EmissionsLedger.
func NewEmissionsLedger() *EmissionsLedger {
	parsed, err := EmissionsLedgerMetaData.ParseABI()
	if err != nil {
		panic(errors.New("invalid ABI: " + err.Error()))
	}
	return &EmissionsLedger{abi: *parsed}
}

// Instance creates a wrapper for a deployed contract instance at the given address.
// Use this to create the instance object passed to abigen v2 library functions Call, Transact, etc.
func (c *EmissionsLedger) Instance(backend bind.ContractBackend, addr common.Address) *bind.BoundContract {
	return bind.NewBoundContract(addr, c.abi, backend, backend, backend)
}

// PackConstructor is the Go binding used to pack the parameters required for
// contract deployment.
//
// Solidity: constructor(address registry_) returns()
func (emissionsLedger *EmissionsLedger) PackConstructor(registry_ common.Address) []byte {
	enc, err := emissionsLedger.abi.Pack("", registry_)
	if err != nil {
		panic(err)
	}
	return enc
}

// PackEPOCHREPORTTYPEHASH is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x7760d16c.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function EPOCH_REPORT_TYPEHASH() view returns(bytes32)
func (emissionsLedger *EmissionsLedger) PackEPOCHREPORTTYPEHASH() []byte {
	enc, err := emissionsLedger.abi.Pack("EPOCH_REPORT_TYPEHASH")
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackEPOCHREPORTTYPEHASH is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x7760d16c.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function EPOCH_REPORT_TYPEHASH() view returns(bytes32)
func (emissionsLedger *EmissionsLedger) TryPackEPOCHREPORTTYPEHASH() ([]byte, error) {
	return emissionsLedger.abi.Pack("EPOCH_REPORT_TYPEHASH")
}

// UnpackEPOCHREPORTTYPEHASH is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x7760d16c.
//
// Solidity: function EPOCH_REPORT_TYPEHASH() view returns(bytes32)
func (emissionsLedger *EmissionsLedger) UnpackEPOCHREPORTTYPEHASH(data []byte) ([32]byte, error) {
	out, err := emissionsLedger.abi.Unpack("EPOCH_REPORT_TYPEHASH", data)
	if err != nil {
		return *new([32]byte), err
	}
	out0 := *abi.ConvertType(out[0], new([32]byte)).(*[32]byte)
	return out0, nil
}

// PackAttest is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xf7a54bf8.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function attest((uint16,uint64,bytes32,uint256) r, bytes sig) returns(bool finalized)
func (emissionsLedger *EmissionsLedger) PackAttest(r EmissionsLedgerEpochReport, sig []byte) []byte {
	enc, err := emissionsLedger.abi.Pack("attest", r, sig)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackAttest is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xf7a54bf8.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function attest((uint16,uint64,bytes32,uint256) r, bytes sig) returns(bool finalized)
func (emissionsLedger *EmissionsLedger) TryPackAttest(r EmissionsLedgerEpochReport, sig []byte) ([]byte, error) {
	return emissionsLedger.abi.Pack("attest", r, sig)
}

// UnpackAttest is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0xf7a54bf8.
//
// Solidity: function attest((uint16,uint64,bytes32,uint256) r, bytes sig) returns(bool finalized)
func (emissionsLedger *EmissionsLedger) UnpackAttest(data []byte) (bool, error) {
	out, err := emissionsLedger.abi.Unpack("attest", data)
	if err != nil {
		return *new(bool), err
	}
	out0 := *abi.ConvertType(out[0], new(bool)).(*bool)
	return out0, nil
}

// PackAttestedStake is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x32dc2bff.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function attestedStake((uint16,uint64,bytes32,uint256) r) view returns(uint256 signed, uint256 total, uint64 version)
func (emissionsLedger *EmissionsLedger) PackAttestedStake(r EmissionsLedgerEpochReport) []byte {
	enc, err := emissionsLedger.abi.Pack("attestedStake", r)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackAttestedStake is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x32dc2bff.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function attestedStake((uint16,uint64,bytes32,uint256) r) view returns(uint256 signed, uint256 total, uint64 version)
func (emissionsLedger *EmissionsLedger) TryPackAttestedStake(r EmissionsLedgerEpochReport) ([]byte, error) {
	return emissionsLedger.abi.Pack("attestedStake", r)
}

// AttestedStakeOutput serves as a container for the return parameters of contract
// method AttestedStake.
type AttestedStakeOutput struct {
	Signed  *big.Int
	Total   *big.Int
	Version uint64
}

// UnpackAttestedStake is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x32dc2bff.
//
// Solidity: function attestedStake((uint16,uint64,bytes32,uint256) r) view returns(uint256 signed, uint256 total, uint64 version)
func (emissionsLedger *EmissionsLedger) UnpackAttestedStake(data []byte) (AttestedStakeOutput, error) {
	out, err := emissionsLedger.abi.Unpack("attestedStake", data)
	outstruct := new(AttestedStakeOutput)
	if err != nil {
		return *outstruct, err
	}
	outstruct.Signed = abi.ConvertType(out[0], new(big.Int)).(*big.Int)
	outstruct.Total = abi.ConvertType(out[1], new(big.Int)).(*big.Int)
	outstruct.Version = *abi.ConvertType(out[2], new(uint64)).(*uint64)
	return *outstruct, nil
}

// PackAvailable is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x48a0d754.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function available() view returns(uint128)
func (emissionsLedger *EmissionsLedger) PackAvailable() []byte {
	enc, err := emissionsLedger.abi.Pack("available")
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackAvailable is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x48a0d754.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function available() view returns(uint128)
func (emissionsLedger *EmissionsLedger) TryPackAvailable() ([]byte, error) {
	return emissionsLedger.abi.Pack("available")
}

// UnpackAvailable is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x48a0d754.
//
// Solidity: function available() view returns(uint128)
func (emissionsLedger *EmissionsLedger) UnpackAvailable(data []byte) (*big.Int, error) {
	out, err := emissionsLedger.abi.Unpack("available", data)
	if err != nil {
		return new(big.Int), err
	}
	out0 := abi.ConvertType(out[0], new(big.Int)).(*big.Int)
	return out0, nil
}

// PackClaim is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xa658209f.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function claim(uint64 epoch, uint16 uid, address account, uint256 amount, bytes32[] proof) returns()
func (emissionsLedger *EmissionsLedger) PackClaim(epoch uint64, uid uint16, account common.Address, amount *big.Int, proof [][32]byte) []byte {
	enc, err := emissionsLedger.abi.Pack("claim", epoch, uid, account, amount, proof)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackClaim is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xa658209f.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function claim(uint64 epoch, uint16 uid, address account, uint256 amount, bytes32[] proof) returns()
func (emissionsLedger *EmissionsLedger) TryPackClaim(epoch uint64, uid uint16, account common.Address, amount *big.Int, proof [][32]byte) ([]byte, error) {
	return emissionsLedger.abi.Pack("claim", epoch, uid, account, amount, proof)
}

// PackDomainSeparator is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xf698da25.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function domainSeparator() view returns(bytes32)
func (emissionsLedger *EmissionsLedger) PackDomainSeparator() []byte {
	enc, err := emissionsLedger.abi.Pack("domainSeparator")
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackDomainSeparator is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xf698da25.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function domainSeparator() view returns(bytes32)
func (emissionsLedger *EmissionsLedger) TryPackDomainSeparator() ([]byte, error) {
	return emissionsLedger.abi.Pack("domainSeparator")
}

// UnpackDomainSeparator is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0xf698da25.
//
// Solidity: function domainSeparator() view returns(bytes32)
func (emissionsLedger *EmissionsLedger) UnpackDomainSeparator(data []byte) ([32]byte, error) {
	out, err := emissionsLedger.abi.Unpack("domainSeparator", data)
	if err != nil {
		return *new([32]byte), err
	}
	out0 := *abi.ConvertType(out[0], new([32]byte)).(*[32]byte)
	return out0, nil
}

// PackFinalizeWithSignatures is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x597468ee.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function finalizeWithSignatures((uint16,uint64,bytes32,uint256) r, bytes[] sigs) returns()
func (emissionsLedger *EmissionsLedger) PackFinalizeWithSignatures(r EmissionsLedgerEpochReport, sigs [][]byte) []byte {
	enc, err := emissionsLedger.abi.Pack("finalizeWithSignatures", r, sigs)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackFinalizeWithSignatures is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x597468ee.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function finalizeWithSignatures((uint16,uint64,bytes32,uint256) r, bytes[] sigs) returns()
func (emissionsLedger *EmissionsLedger) TryPackFinalizeWithSignatures(r EmissionsLedgerEpochReport, sigs [][]byte) ([]byte, error) {
	return emissionsLedger.abi.Pack("finalizeWithSignatures", r, sigs)
}

// PackFund is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xb60d4288.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function fund() payable returns()
func (emissionsLedger *EmissionsLedger) PackFund() []byte {
	enc, err := emissionsLedger.abi.Pack("fund")
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackFund is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xb60d4288.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function fund() payable returns()
func (emissionsLedger *EmissionsLedger) TryPackFund() ([]byte, error) {
	return emissionsLedger.abi.Pack("fund")
}

// PackGetEpoch is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x12a02c82.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function getEpoch(uint64 epoch) view returns((bytes32,uint128,uint128))
func (emissionsLedger *EmissionsLedger) PackGetEpoch(epoch uint64) []byte {
	enc, err := emissionsLedger.abi.Pack("getEpoch", epoch)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackGetEpoch is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x12a02c82.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function getEpoch(uint64 epoch) view returns((bytes32,uint128,uint128))
func (emissionsLedger *EmissionsLedger) TryPackGetEpoch(epoch uint64) ([]byte, error) {
	return emissionsLedger.abi.Pack("getEpoch", epoch)
}

// UnpackGetEpoch is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x12a02c82.
//
// Solidity: function getEpoch(uint64 epoch) view returns((bytes32,uint128,uint128))
func (emissionsLedger *EmissionsLedger) UnpackGetEpoch(data []byte) (EmissionsLedgerEpoch, error) {
	out, err := emissionsLedger.abi.Unpack("getEpoch", data)
	if err != nil {
		return *new(EmissionsLedgerEpoch), err
	}
	out0 := *abi.ConvertType(out[0], new(EmissionsLedgerEpoch)).(*EmissionsLedgerEpoch)
	return out0, nil
}

// PackHasVoted is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x7642d0de.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function hasVoted(uint64 epoch, uint64 version, address validator) view returns(bool)
func (emissionsLedger *EmissionsLedger) PackHasVoted(epoch uint64, version uint64, validator common.Address) []byte {
	enc, err := emissionsLedger.abi.Pack("hasVoted", epoch, version, validator)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackHasVoted is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x7642d0de.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function hasVoted(uint64 epoch, uint64 version, address validator) view returns(bool)
func (emissionsLedger *EmissionsLedger) TryPackHasVoted(epoch uint64, version uint64, validator common.Address) ([]byte, error) {
	return emissionsLedger.abi.Pack("hasVoted", epoch, version, validator)
}

// UnpackHasVoted is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x7642d0de.
//
// Solidity: function hasVoted(uint64 epoch, uint64 version, address validator) view returns(bool)
func (emissionsLedger *EmissionsLedger) UnpackHasVoted(data []byte) (bool, error) {
	out, err := emissionsLedger.abi.Unpack("hasVoted", data)
	if err != nil {
		return *new(bool), err
	}
	out0 := *abi.ConvertType(out[0], new(bool)).(*bool)
	return out0, nil
}

// PackHashReport is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x7bf4b8fb.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function hashReport((uint16,uint64,bytes32,uint256) r) view returns(bytes32)
func (emissionsLedger *EmissionsLedger) PackHashReport(r EmissionsLedgerEpochReport) []byte {
	enc, err := emissionsLedger.abi.Pack("hashReport", r)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackHashReport is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x7bf4b8fb.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function hashReport((uint16,uint64,bytes32,uint256) r) view returns(bytes32)
func (emissionsLedger *EmissionsLedger) TryPackHashReport(r EmissionsLedgerEpochReport) ([]byte, error) {
	return emissionsLedger.abi.Pack("hashReport", r)
}

// UnpackHashReport is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x7bf4b8fb.
//
// Solidity: function hashReport((uint16,uint64,bytes32,uint256) r) view returns(bytes32)
func (emissionsLedger *EmissionsLedger) UnpackHashReport(data []byte) ([32]byte, error) {
	out, err := emissionsLedger.abi.Unpack("hashReport", data)
	if err != nil {
		return *new([32]byte), err
	}
	out0 := *abi.ConvertType(out[0], new([32]byte)).(*[32]byte)
	return out0, nil
}

// PackIsClaimed is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x1d0f9c6f.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function isClaimed(uint64 epoch, uint16 uid) view returns(bool)
func (emissionsLedger *EmissionsLedger) PackIsClaimed(epoch uint64, uid uint16) []byte {
	enc, err := emissionsLedger.abi.Pack("isClaimed", epoch, uid)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackIsClaimed is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x1d0f9c6f.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function isClaimed(uint64 epoch, uint16 uid) view returns(bool)
func (emissionsLedger *EmissionsLedger) TryPackIsClaimed(epoch uint64, uid uint16) ([]byte, error) {
	return emissionsLedger.abi.Pack("isClaimed", epoch, uid)
}

// UnpackIsClaimed is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x1d0f9c6f.
//
// Solidity: function isClaimed(uint64 epoch, uint16 uid) view returns(bool)
func (emissionsLedger *EmissionsLedger) UnpackIsClaimed(data []byte) (bool, error) {
	out, err := emissionsLedger.abi.Unpack("isClaimed", data)
	if err != nil {
		return *new(bool), err
	}
	out0 := *abi.ConvertType(out[0], new(bool)).(*bool)
	return out0, nil
}

// PackLatestEpoch is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x9cb118bf.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function latestEpoch() view returns(uint64)
func (emissionsLedger *EmissionsLedger) PackLatestEpoch() []byte {
	enc, err := emissionsLedger.abi.Pack("latestEpoch")
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackLatestEpoch is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x9cb118bf.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function latestEpoch() view returns(uint64)
func (emissionsLedger *EmissionsLedger) TryPackLatestEpoch() ([]byte, error) {
	return emissionsLedger.abi.Pack("latestEpoch")
}

// UnpackLatestEpoch is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x9cb118bf.
//
// Solidity: function latestEpoch() view returns(uint64)
func (emissionsLedger *EmissionsLedger) UnpackLatestEpoch(data []byte) (uint64, error) {
	out, err := emissionsLedger.abi.Unpack("latestEpoch", data)
	if err != nil {
		return *new(uint64), err
	}
	out0 := *abi.ConvertType(out[0], new(uint64)).(*uint64)
	return out0, nil
}

// PackLeaf is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x0a0cc2ed.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function leaf(uint64 epoch, uint16 uid, address account, uint256 amount) pure returns(bytes32)
func (emissionsLedger *EmissionsLedger) PackLeaf(epoch uint64, uid uint16, account common.Address, amount *big.Int) []byte {
	enc, err := emissionsLedger.abi.Pack("leaf", epoch, uid, account, amount)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackLeaf is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x0a0cc2ed.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function leaf(uint64 epoch, uint16 uid, address account, uint256 amount) pure returns(bytes32)
func (emissionsLedger *EmissionsLedger) TryPackLeaf(epoch uint64, uid uint16, account common.Address, amount *big.Int) ([]byte, error) {
	return emissionsLedger.abi.Pack("leaf", epoch, uid, account, amount)
}

// UnpackLeaf is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x0a0cc2ed.
//
// Solidity: function leaf(uint64 epoch, uint16 uid, address account, uint256 amount) pure returns(bytes32)
func (emissionsLedger *EmissionsLedger) UnpackLeaf(data []byte) ([32]byte, error) {
	out, err := emissionsLedger.abi.Unpack("leaf", data)
	if err != nil {
		return *new([32]byte), err
	}
	out0 := *abi.ConvertType(out[0], new([32]byte)).(*[32]byte)
	return out0, nil
}

// PackNetuid is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xe78015b1.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function netuid() view returns(uint16)
func (emissionsLedger *EmissionsLedger) PackNetuid() []byte {
	enc, err := emissionsLedger.abi.Pack("netuid")
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackNetuid is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xe78015b1.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function netuid() view returns(uint16)
func (emissionsLedger *EmissionsLedger) TryPackNetuid() ([]byte, error) {
	return emissionsLedger.abi.Pack("netuid")
}

// UnpackNetuid is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0xe78015b1.
//
// Solidity: function netuid() view returns(uint16)
func (emissionsLedger *EmissionsLedger) UnpackNetuid(data []byte) (uint16, error) {
	out, err := emissionsLedger.abi.Unpack("netuid", data)
	if err != nil {
		return *new(uint16), err
	}
	out0 := *abi.ConvertType(out[0], new(uint16)).(*uint16)
	return out0, nil
}

// PackRegistry is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x7b103999.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function registry() view returns(address)
func (emissionsLedger *EmissionsLedger) PackRegistry() []byte {
	enc, err := emissionsLedger.abi.Pack("registry")
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackRegistry is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x7b103999.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function registry() view returns(address)
func (emissionsLedger *EmissionsLedger) TryPackRegistry() ([]byte, error) {
	return emissionsLedger.abi.Pack("registry")
}

// UnpackRegistry is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x7b103999.
//
// Solidity: function registry() view returns(address)
func (emissionsLedger *EmissionsLedger) UnpackRegistry(data []byte) (common.Address, error) {
	out, err := emissionsLedger.abi.Unpack("registry", data)
	if err != nil {
		return *new(common.Address), err
	}
	out0 := *abi.ConvertType(out[0], new(common.Address)).(*common.Address)
	return out0, nil
}

// EmissionsLedgerAttested represents a Attested event raised by the EmissionsLedger contract.
type EmissionsLedgerAttested struct {
	Epoch       uint64
	Validator   common.Address
	Digest      [32]byte
	SignedStake *big.Int
	TotalStake  *big.Int
	Raw         *types.Log // Blockchain specific contextual infos
}

const EmissionsLedgerAttestedEventName = "Attested"

// ContractEventName returns the user-defined event name.
func (EmissionsLedgerAttested) ContractEventName() string {
	return EmissionsLedgerAttestedEventName
}

// UnpackAttestedEvent is the Go binding that unpacks the event data emitted
// by contract.
//
// Solidity: event Attested(uint64 indexed epoch, address indexed validator, bytes32 digest, uint256 signedStake, uint256 totalStake)
func (emissionsLedger *EmissionsLedger) UnpackAttestedEvent(log *types.Log) (*EmissionsLedgerAttested, error) {
	event := "Attested"
	if len(log.Topics) == 0 {
		return nil, bind.ErrNoEventSignature
	}
	if log.Topics[0] != emissionsLedger.abi.Events[event].ID {
		return nil, bind.ErrEventSignatureMismatch
	}
	out := new(EmissionsLedgerAttested)
	if len(log.Data) > 0 {
		if err := emissionsLedger.abi.UnpackIntoInterface(out, event, log.Data); err != nil {
			return nil, err
		}
	}
	var indexed abi.Arguments
	for _, arg := range emissionsLedger.abi.Events[event].Inputs {
		if arg.Indexed {
			indexed = append(indexed, arg)
		}
	}
	if err := abi.ParseTopics(out, indexed, log.Topics[1:]); err != nil {
		return nil, err
	}
	out.Raw = log
	return out, nil
}

// EmissionsLedgerClaimed represents a Claimed event raised by the EmissionsLedger contract.
type EmissionsLedgerClaimed struct {
	Epoch   uint64
	Uid     uint16
	Account common.Address
	Amount  *big.Int
	Raw     *types.Log // Blockchain specific contextual infos
}

const EmissionsLedgerClaimedEventName = "Claimed"

// ContractEventName returns the user-defined event name.
func (EmissionsLedgerClaimed) ContractEventName() string {
	return EmissionsLedgerClaimedEventName
}

// UnpackClaimedEvent is the Go binding that unpacks the event data emitted
// by contract.
//
// Solidity: event Claimed(uint64 indexed epoch, uint16 indexed uid, address indexed account, uint256 amount)
func (emissionsLedger *EmissionsLedger) UnpackClaimedEvent(log *types.Log) (*EmissionsLedgerClaimed, error) {
	event := "Claimed"
	if len(log.Topics) == 0 {
		return nil, bind.ErrNoEventSignature
	}
	if log.Topics[0] != emissionsLedger.abi.Events[event].ID {
		return nil, bind.ErrEventSignatureMismatch
	}
	out := new(EmissionsLedgerClaimed)
	if len(log.Data) > 0 {
		if err := emissionsLedger.abi.UnpackIntoInterface(out, event, log.Data); err != nil {
			return nil, err
		}
	}
	var indexed abi.Arguments
	for _, arg := range emissionsLedger.abi.Events[event].Inputs {
		if arg.Indexed {
			indexed = append(indexed, arg)
		}
	}
	if err := abi.ParseTopics(out, indexed, log.Topics[1:]); err != nil {
		return nil, err
	}
	out.Raw = log
	return out, nil
}

// EmissionsLedgerEpochFinalized represents a EpochFinalized event raised by the EmissionsLedger contract.
type EmissionsLedgerEpochFinalized struct {
	Epoch               uint64
	EmissionsRoot       [32]byte
	TotalEmission       *big.Int
	SignedStake         *big.Int
	TotalStake          *big.Int
	ValidatorSetVersion uint64
	Raw                 *types.Log // Blockchain specific contextual infos
}

const EmissionsLedgerEpochFinalizedEventName = "EpochFinalized"

// ContractEventName returns the user-defined event name.
func (EmissionsLedgerEpochFinalized) ContractEventName() string {
	return EmissionsLedgerEpochFinalizedEventName
}

// UnpackEpochFinalizedEvent is the Go binding that unpacks the event data emitted
// by contract.
//
// Solidity: event EpochFinalized(uint64 indexed epoch, bytes32 emissionsRoot, uint256 totalEmission, uint256 signedStake, uint256 totalStake, uint64 validatorSetVersion)
func (emissionsLedger *EmissionsLedger) UnpackEpochFinalizedEvent(log *types.Log) (*EmissionsLedgerEpochFinalized, error) {
	event := "EpochFinalized"
	if len(log.Topics) == 0 {
		return nil, bind.ErrNoEventSignature
	}
	if log.Topics[0] != emissionsLedger.abi.Events[event].ID {
		return nil, bind.ErrEventSignatureMismatch
	}
	out := new(EmissionsLedgerEpochFinalized)
	if len(log.Data) > 0 {
		if err := emissionsLedger.abi.UnpackIntoInterface(out, event, log.Data); err != nil {
			return nil, err
		}
	}
	var indexed abi.Arguments
	for _, arg := range emissionsLedger.abi.Events[event].Inputs {
		if arg.Indexed {
			indexed = append(indexed, arg)
		}
	}
	if err := abi.ParseTopics(out, indexed, log.Topics[1:]); err != nil {
		return nil, err
	}
	out.Raw = log
	return out, nil
}

// EmissionsLedgerFunded represents a Funded event raised by the EmissionsLedger contract.
type EmissionsLedgerFunded struct {
	From      common.Address
	Amount    *big.Int
	Available *big.Int
	Raw       *types.Log // Blockchain specific contextual infos
}

const EmissionsLedgerFundedEventName = "Funded"

// ContractEventName returns the user-defined event name.
func (EmissionsLedgerFunded) ContractEventName() string {
	return EmissionsLedgerFundedEventName
}

// UnpackFundedEvent is the Go binding that unpacks the event data emitted
// by contract.
//
// Solidity: event Funded(address indexed from, uint256 amount, uint256 available)
func (emissionsLedger *EmissionsLedger) UnpackFundedEvent(log *types.Log) (*EmissionsLedgerFunded, error) {
	event := "Funded"
	if len(log.Topics) == 0 {
		return nil, bind.ErrNoEventSignature
	}
	if log.Topics[0] != emissionsLedger.abi.Events[event].ID {
		return nil, bind.ErrEventSignatureMismatch
	}
	out := new(EmissionsLedgerFunded)
	if len(log.Data) > 0 {
		if err := emissionsLedger.abi.UnpackIntoInterface(out, event, log.Data); err != nil {
			return nil, err
		}
	}
	var indexed abi.Arguments
	for _, arg := range emissionsLedger.abi.Events[event].Inputs {
		if arg.Indexed {
			indexed = append(indexed, arg)
		}
	}
	if err := abi.ParseTopics(out, indexed, log.Topics[1:]); err != nil {
		return nil, err
	}
	out.Raw = log
	return out, nil
}

// UnpackError attempts to decode the provided error data using user-defined
// error definitions.
func (emissionsLedger *EmissionsLedger) UnpackError(raw []byte) (any, error) {
	if bytes.Equal(raw[:4], emissionsLedger.abi.Errors["AlreadyClaimed"].ID.Bytes()[:4]) {
		return emissionsLedger.UnpackAlreadyClaimedError(raw[4:])
	}
	if bytes.Equal(raw[:4], emissionsLedger.abi.Errors["AlreadyVoted"].ID.Bytes()[:4]) {
		return emissionsLedger.UnpackAlreadyVotedError(raw[4:])
	}
	if bytes.Equal(raw[:4], emissionsLedger.abi.Errors["ClaimExceedsTotal"].ID.Bytes()[:4]) {
		return emissionsLedger.UnpackClaimExceedsTotalError(raw[4:])
	}
	if bytes.Equal(raw[:4], emissionsLedger.abi.Errors["EmissionTooLarge"].ID.Bytes()[:4]) {
		return emissionsLedger.UnpackEmissionTooLargeError(raw[4:])
	}
	if bytes.Equal(raw[:4], emissionsLedger.abi.Errors["EpochAlreadyFinalized"].ID.Bytes()[:4]) {
		return emissionsLedger.UnpackEpochAlreadyFinalizedError(raw[4:])
	}
	if bytes.Equal(raw[:4], emissionsLedger.abi.Errors["EpochNotFinalized"].ID.Bytes()[:4]) {
		return emissionsLedger.UnpackEpochNotFinalizedError(raw[4:])
	}
	if bytes.Equal(raw[:4], emissionsLedger.abi.Errors["InsufficientPool"].ID.Bytes()[:4]) {
		return emissionsLedger.UnpackInsufficientPoolError(raw[4:])
	}
	if bytes.Equal(raw[:4], emissionsLedger.abi.Errors["InvalidProof"].ID.Bytes()[:4]) {
		return emissionsLedger.UnpackInvalidProofError(raw[4:])
	}
	if bytes.Equal(raw[:4], emissionsLedger.abi.Errors["InvalidSignature"].ID.Bytes()[:4]) {
		return emissionsLedger.UnpackInvalidSignatureError(raw[4:])
	}
	if bytes.Equal(raw[:4], emissionsLedger.abi.Errors["QuorumNotReached"].ID.Bytes()[:4]) {
		return emissionsLedger.UnpackQuorumNotReachedError(raw[4:])
	}
	if bytes.Equal(raw[:4], emissionsLedger.abi.Errors["SignersNotAscending"].ID.Bytes()[:4]) {
		return emissionsLedger.UnpackSignersNotAscendingError(raw[4:])
	}
	if bytes.Equal(raw[:4], emissionsLedger.abi.Errors["StaleEpoch"].ID.Bytes()[:4]) {
		return emissionsLedger.UnpackStaleEpochError(raw[4:])
	}
	if bytes.Equal(raw[:4], emissionsLedger.abi.Errors["TransferFailed"].ID.Bytes()[:4]) {
		return emissionsLedger.UnpackTransferFailedError(raw[4:])
	}
	if bytes.Equal(raw[:4], emissionsLedger.abi.Errors["UnknownValidator"].ID.Bytes()[:4]) {
		return emissionsLedger.UnpackUnknownValidatorError(raw[4:])
	}
	if bytes.Equal(raw[:4], emissionsLedger.abi.Errors["WrongNetuid"].ID.Bytes()[:4]) {
		return emissionsLedger.UnpackWrongNetuidError(raw[4:])
	}
	if bytes.Equal(raw[:4], emissionsLedger.abi.Errors["ZeroAmount"].ID.Bytes()[:4]) {
		return emissionsLedger.UnpackZeroAmountError(raw[4:])
	}
	if bytes.Equal(raw[:4], emissionsLedger.abi.Errors["ZeroRoot"].ID.Bytes()[:4]) {
		return emissionsLedger.UnpackZeroRootError(raw[4:])
	}
	return nil, errors.New("Unknown error")
}

// EmissionsLedgerAlreadyClaimed represents a AlreadyClaimed error raised by the EmissionsLedger contract.
type EmissionsLedgerAlreadyClaimed struct {
	Epoch uint64
	Uid   uint16
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error AlreadyClaimed(uint64 epoch, uint16 uid)
func EmissionsLedgerAlreadyClaimedErrorID() common.Hash {
	return common.HexToHash("0xd2b629986c5f4208a8f6285c0a0e09b6272b217d1a53557c479be3d583f983f3")
}

// UnpackAlreadyClaimedError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error AlreadyClaimed(uint64 epoch, uint16 uid)
func (emissionsLedger *EmissionsLedger) UnpackAlreadyClaimedError(raw []byte) (*EmissionsLedgerAlreadyClaimed, error) {
	out := new(EmissionsLedgerAlreadyClaimed)
	if err := emissionsLedger.abi.UnpackIntoInterface(out, "AlreadyClaimed", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// EmissionsLedgerAlreadyVoted represents a AlreadyVoted error raised by the EmissionsLedger contract.
type EmissionsLedgerAlreadyVoted struct {
	Validator common.Address
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error AlreadyVoted(address validator)
func EmissionsLedgerAlreadyVotedErrorID() common.Hash {
	return common.HexToHash("0xd449d674cb213019103ed0874ef5d2bc3d31fe332f9d7d55f87ff967a029c0c3")
}

// UnpackAlreadyVotedError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error AlreadyVoted(address validator)
func (emissionsLedger *EmissionsLedger) UnpackAlreadyVotedError(raw []byte) (*EmissionsLedgerAlreadyVoted, error) {
	out := new(EmissionsLedgerAlreadyVoted)
	if err := emissionsLedger.abi.UnpackIntoInterface(out, "AlreadyVoted", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// EmissionsLedgerClaimExceedsTotal represents a ClaimExceedsTotal error raised by the EmissionsLedger contract.
type EmissionsLedgerClaimExceedsTotal struct {
	Amount    *big.Int
	Remaining *big.Int
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error ClaimExceedsTotal(uint256 amount, uint256 remaining)
func EmissionsLedgerClaimExceedsTotalErrorID() common.Hash {
	return common.HexToHash("0xaf321b8190c6dc5bad922f07ae0fa52a8e7ca1bff9d0a7fa23cb68c2c420bbab")
}

// UnpackClaimExceedsTotalError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error ClaimExceedsTotal(uint256 amount, uint256 remaining)
func (emissionsLedger *EmissionsLedger) UnpackClaimExceedsTotalError(raw []byte) (*EmissionsLedgerClaimExceedsTotal, error) {
	out := new(EmissionsLedgerClaimExceedsTotal)
	if err := emissionsLedger.abi.UnpackIntoInterface(out, "ClaimExceedsTotal", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// EmissionsLedgerEmissionTooLarge represents a EmissionTooLarge error raised by the EmissionsLedger contract.
type EmissionsLedgerEmissionTooLarge struct {
	Amount *big.Int
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error EmissionTooLarge(uint256 amount)
func EmissionsLedgerEmissionTooLargeErrorID() common.Hash {
	return common.HexToHash("0xc3879cb13bb5aa41bed27284c094623bdcac4d2d712bd9faf2096f95a1f3f003")
}

// UnpackEmissionTooLargeError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error EmissionTooLarge(uint256 amount)
func (emissionsLedger *EmissionsLedger) UnpackEmissionTooLargeError(raw []byte) (*EmissionsLedgerEmissionTooLarge, error) {
	out := new(EmissionsLedgerEmissionTooLarge)
	if err := emissionsLedger.abi.UnpackIntoInterface(out, "EmissionTooLarge", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// EmissionsLedgerEpochAlreadyFinalized represents a EpochAlreadyFinalized error raised by the EmissionsLedger contract.
type EmissionsLedgerEpochAlreadyFinalized struct {
	Epoch uint64
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error EpochAlreadyFinalized(uint64 epoch)
func EmissionsLedgerEpochAlreadyFinalizedErrorID() common.Hash {
	return common.HexToHash("0x3a79ab98ee22a0abe941a2ad155b80ea11c739ead2f6fbd24b4ef91375195357")
}

// UnpackEpochAlreadyFinalizedError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error EpochAlreadyFinalized(uint64 epoch)
func (emissionsLedger *EmissionsLedger) UnpackEpochAlreadyFinalizedError(raw []byte) (*EmissionsLedgerEpochAlreadyFinalized, error) {
	out := new(EmissionsLedgerEpochAlreadyFinalized)
	if err := emissionsLedger.abi.UnpackIntoInterface(out, "EpochAlreadyFinalized", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// EmissionsLedgerEpochNotFinalized represents a EpochNotFinalized error raised by the EmissionsLedger contract.
type EmissionsLedgerEpochNotFinalized struct {
	Epoch uint64
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error EpochNotFinalized(uint64 epoch)
func EmissionsLedgerEpochNotFinalizedErrorID() common.Hash {
	return common.HexToHash("0xaaf0896d4411cb4d27b6adc2b7b10bde5029a7a38ccf9d154e77a948a96f9d8f")
}

// UnpackEpochNotFinalizedError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error EpochNotFinalized(uint64 epoch)
func (emissionsLedger *EmissionsLedger) UnpackEpochNotFinalizedError(raw []byte) (*EmissionsLedgerEpochNotFinalized, error) {
	out := new(EmissionsLedgerEpochNotFinalized)
	if err := emissionsLedger.abi.UnpackIntoInterface(out, "EpochNotFinalized", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// EmissionsLedgerInsufficientPool represents a InsufficientPool error raised by the EmissionsLedger contract.
type EmissionsLedgerInsufficientPool struct {
	Available     *big.Int
	TotalEmission *big.Int
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error InsufficientPool(uint256 available, uint256 totalEmission)
func EmissionsLedgerInsufficientPoolErrorID() common.Hash {
	return common.HexToHash("0xb9b3b6b95662d3d6cc2ad305b48893e2dd61f157e413b3fc2f7e2b3546d806f2")
}

// UnpackInsufficientPoolError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error InsufficientPool(uint256 available, uint256 totalEmission)
func (emissionsLedger *EmissionsLedger) UnpackInsufficientPoolError(raw []byte) (*EmissionsLedgerInsufficientPool, error) {
	out := new(EmissionsLedgerInsufficientPool)
	if err := emissionsLedger.abi.UnpackIntoInterface(out, "InsufficientPool", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// EmissionsLedgerInvalidProof represents a InvalidProof error raised by the EmissionsLedger contract.
type EmissionsLedgerInvalidProof struct {
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error InvalidProof()
func EmissionsLedgerInvalidProofErrorID() common.Hash {
	return common.HexToHash("0x09bde339c6b182be216ee7ef8ccff6338c6ef7993445216112ae575c5438fd27")
}

// UnpackInvalidProofError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error InvalidProof()
func (emissionsLedger *EmissionsLedger) UnpackInvalidProofError(raw []byte) (*EmissionsLedgerInvalidProof, error) {
	out := new(EmissionsLedgerInvalidProof)
	if err := emissionsLedger.abi.UnpackIntoInterface(out, "InvalidProof", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// EmissionsLedgerInvalidSignature represents a InvalidSignature error raised by the EmissionsLedger contract.
type EmissionsLedgerInvalidSignature struct {
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error InvalidSignature()
func EmissionsLedgerInvalidSignatureErrorID() common.Hash {
	return common.HexToHash("0x8baa579fce362245063d36f11747a89dd489c54795634fc673cc0e0db51fedc5")
}

// UnpackInvalidSignatureError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error InvalidSignature()
func (emissionsLedger *EmissionsLedger) UnpackInvalidSignatureError(raw []byte) (*EmissionsLedgerInvalidSignature, error) {
	out := new(EmissionsLedgerInvalidSignature)
	if err := emissionsLedger.abi.UnpackIntoInterface(out, "InvalidSignature", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// EmissionsLedgerQuorumNotReached represents a QuorumNotReached error raised by the EmissionsLedger contract.
type EmissionsLedgerQuorumNotReached struct {
	SignedStake *big.Int
	TotalStake  *big.Int
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error QuorumNotReached(uint256 signedStake, uint256 totalStake)
func EmissionsLedgerQuorumNotReachedErrorID() common.Hash {
	return common.HexToHash("0x6a2159843653f10db54c042cb44fca2acd5ab362e9d6b07cb6ba038cc88440ed")
}

// UnpackQuorumNotReachedError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error QuorumNotReached(uint256 signedStake, uint256 totalStake)
func (emissionsLedger *EmissionsLedger) UnpackQuorumNotReachedError(raw []byte) (*EmissionsLedgerQuorumNotReached, error) {
	out := new(EmissionsLedgerQuorumNotReached)
	if err := emissionsLedger.abi.UnpackIntoInterface(out, "QuorumNotReached", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// EmissionsLedgerSignersNotAscending represents a SignersNotAscending error raised by the EmissionsLedger contract.
type EmissionsLedgerSignersNotAscending struct {
	Previous common.Address
	Signer   common.Address
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error SignersNotAscending(address previous, address signer)
func EmissionsLedgerSignersNotAscendingErrorID() common.Hash {
	return common.HexToHash("0x45907fac58b68b2554fd0b2841a93fad341642915e8ae6c36b5deb29171a6eec")
}

// UnpackSignersNotAscendingError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error SignersNotAscending(address previous, address signer)
func (emissionsLedger *EmissionsLedger) UnpackSignersNotAscendingError(raw []byte) (*EmissionsLedgerSignersNotAscending, error) {
	out := new(EmissionsLedgerSignersNotAscending)
	if err := emissionsLedger.abi.UnpackIntoInterface(out, "SignersNotAscending", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// EmissionsLedgerStaleEpoch represents a StaleEpoch error raised by the EmissionsLedger contract.
type EmissionsLedgerStaleEpoch struct {
	Epoch  uint64
	Latest uint64
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error StaleEpoch(uint64 epoch, uint64 latest)
func EmissionsLedgerStaleEpochErrorID() common.Hash {
	return common.HexToHash("0xce85c4225d2813b50103ed0229b2e59cbf35056a7daf864f295bf12a9886a9c5")
}

// UnpackStaleEpochError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error StaleEpoch(uint64 epoch, uint64 latest)
func (emissionsLedger *EmissionsLedger) UnpackStaleEpochError(raw []byte) (*EmissionsLedgerStaleEpoch, error) {
	out := new(EmissionsLedgerStaleEpoch)
	if err := emissionsLedger.abi.UnpackIntoInterface(out, "StaleEpoch", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// EmissionsLedgerTransferFailed represents a TransferFailed error raised by the EmissionsLedger contract.
type EmissionsLedgerTransferFailed struct {
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error TransferFailed()
func EmissionsLedgerTransferFailedErrorID() common.Hash {
	return common.HexToHash("0x90b8ec1877afffd816d05d9b13947f3ff18ec5851c38bad15ec2b710f92391b1")
}

// UnpackTransferFailedError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error TransferFailed()
func (emissionsLedger *EmissionsLedger) UnpackTransferFailedError(raw []byte) (*EmissionsLedgerTransferFailed, error) {
	out := new(EmissionsLedgerTransferFailed)
	if err := emissionsLedger.abi.UnpackIntoInterface(out, "TransferFailed", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// EmissionsLedgerUnknownValidator represents a UnknownValidator error raised by the EmissionsLedger contract.
type EmissionsLedgerUnknownValidator struct {
	Signer common.Address
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error UnknownValidator(address signer)
func EmissionsLedgerUnknownValidatorErrorID() common.Hash {
	return common.HexToHash("0x74f66b97e8684fcdf4d302c9204c14fec13ef6452d233ac878acefb1ee101ad2")
}

// UnpackUnknownValidatorError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error UnknownValidator(address signer)
func (emissionsLedger *EmissionsLedger) UnpackUnknownValidatorError(raw []byte) (*EmissionsLedgerUnknownValidator, error) {
	out := new(EmissionsLedgerUnknownValidator)
	if err := emissionsLedger.abi.UnpackIntoInterface(out, "UnknownValidator", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// EmissionsLedgerWrongNetuid represents a WrongNetuid error raised by the EmissionsLedger contract.
type EmissionsLedgerWrongNetuid struct {
	Got  uint16
	Want uint16
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error WrongNetuid(uint16 got, uint16 want)
func EmissionsLedgerWrongNetuidErrorID() common.Hash {
	return common.HexToHash("0x669090a24ed5351b61d47f830285e8eeecadb8640ad801967829deb612532d22")
}

// UnpackWrongNetuidError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error WrongNetuid(uint16 got, uint16 want)
func (emissionsLedger *EmissionsLedger) UnpackWrongNetuidError(raw []byte) (*EmissionsLedgerWrongNetuid, error) {
	out := new(EmissionsLedgerWrongNetuid)
	if err := emissionsLedger.abi.UnpackIntoInterface(out, "WrongNetuid", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// EmissionsLedgerZeroAmount represents a ZeroAmount error raised by the EmissionsLedger contract.
type EmissionsLedgerZeroAmount struct {
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error ZeroAmount()
func EmissionsLedgerZeroAmountErrorID() common.Hash {
	return common.HexToHash("0x1f2a2005cb66a8e145327e8814e243a0996aec9bfe1e15a495778b1236dbd485")
}

// UnpackZeroAmountError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error ZeroAmount()
func (emissionsLedger *EmissionsLedger) UnpackZeroAmountError(raw []byte) (*EmissionsLedgerZeroAmount, error) {
	out := new(EmissionsLedgerZeroAmount)
	if err := emissionsLedger.abi.UnpackIntoInterface(out, "ZeroAmount", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// EmissionsLedgerZeroRoot represents a ZeroRoot error raised by the EmissionsLedger contract.
type EmissionsLedgerZeroRoot struct {
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error ZeroRoot()
func EmissionsLedgerZeroRootErrorID() common.Hash {
	return common.HexToHash("0xb263ae738e814ca9af6ee56bb85daa47624e790421913c947dcba2aac07cfdbd")
}

// UnpackZeroRootError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error ZeroRoot()
func (emissionsLedger *EmissionsLedger) UnpackZeroRootError(raw []byte) (*EmissionsLedgerZeroRoot, error) {
	out := new(EmissionsLedgerZeroRoot)
	if err := emissionsLedger.abi.UnpackIntoInterface(out, "ZeroRoot", raw); err != nil {
		return nil, err
	}
	return out, nil
}
