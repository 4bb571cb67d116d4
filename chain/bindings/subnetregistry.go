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

// SubnetRegistryNeuron is an auto generated low-level Go binding around an user-defined struct.
type SubnetRegistryNeuron struct {
	Uid             uint16
	Hotkey          common.Address
	Role            uint8
	ValidatorPermit bool
	RegisteredAt    uint64
	EmissionEpoch   uint64
	Stake           *big.Int
	Emission        *big.Int
}

// SubnetRegistryParams is an auto generated low-level Go binding around an user-defined struct.
type SubnetRegistryParams struct {
	EpochLength    uint64
	MaxUids        uint16
	MaxValidators  uint16
	ImmunityPeriod uint64
	MinStake       *big.Int
	Deposit        *big.Int
}

// SubnetRegistryMetaData contains all meta data concerning the SubnetRegistry contract.
var SubnetRegistryMetaData = bind.MetaData{
	ABI: "[{\"inputs\":[{\"internalType\":\"uint16\",\"name\":\"netuid_\",\"type\":\"uint16\"},{\"components\":[{\"internalType\":\"uint64\",\"name\":\"epochLength\",\"type\":\"uint64\"},{\"internalType\":\"uint16\",\"name\":\"maxUids\",\"type\":\"uint16\"},{\"internalType\":\"uint16\",\"name\":\"maxValidators\",\"type\":\"uint16\"},{\"internalType\":\"uint64\",\"name\":\"immunityPeriod\",\"type\":\"uint64\"},{\"internalType\":\"uint256\",\"name\":\"minStake\",\"type\":\"uint256\"},{\"internalType\":\"uint256\",\"name\":\"deposit\",\"type\":\"uint256\"}],\"internalType\":\"structSubnetRegistry.Params\",\"name\":\"p\",\"type\":\"tuple\"}],\"stateMutability\":\"nonpayable\",\"type\":\"constructor\"},{\"inputs\":[{\"internalType\":\"address\",\"name\":\"hotkey\",\"type\":\"address\"},{\"internalType\":\"uint16\",\"name\":\"uid\",\"type\":\"uint16\"}],\"name\":\"AlreadyRegistered\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"uint256\",\"name\":\"have\",\"type\":\"uint256\"},{\"internalType\":\"uint256\",\"name\":\"want\",\"type\":\"uint256\"}],\"name\":\"InsufficientStake\",\"type\":\"error\"},{\"inputs\":[],\"name\":\"InvalidParams\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"uint8\",\"name\":\"role\",\"type\":\"uint8\"}],\"name\":\"InvalidRole\",\"type\":\"error\"},{\"inputs\":[],\"name\":\"NoPrunableUid\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"address\",\"name\":\"caller\",\"type\":\"address\"}],\"name\":\"NotLedger\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"address\",\"name\":\"caller\",\"type\":\"address\"}],\"name\":\"NotOwner\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"address\",\"name\":\"hotkey\",\"type\":\"address\"}],\"name\":\"NotRegistered\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"address\",\"name\":\"hotkey\",\"type\":\"address\"}],\"name\":\"NotValidator\",\"type\":\"error\"},{\"inputs\":[],\"name\":\"TransferFailed\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"uint256\",\"name\":\"sent\",\"type\":\"uint256\"},{\"internalType\":\"uint256\",\"name\":\"want\",\"type\":\"uint256\"}],\"name\":\"WrongDeposit\",\"type\":\"error\"},{\"inputs\":[],\"name\":\"ZeroAmount\",\"type\":\"error\"},{\"anonymous\":false,\"inputs\":[{\"indexed\":true,\"internalType\":\"uint16\",\"name\":\"uid\",\"type\":\"uint16\"},{\"indexed\":true,\"internalType\":\"address\",\"name\":\"hotkey\",\"type\":\"address\"},{\"indexed\":false,\"internalType\":\"uint64\",\"name\":\"epoch\",\"type\":\"uint64\"},{\"indexed\":false,\"internalType\":\"uint256\",\"name\":\"amount\",\"type\":\"uint256\"}],\"name\":\"EmissionNoted\",\"type\":\"event\"},{\"anonymous\":false,\"inputs\":[{\"indexed\":true,\"internalType\":\"address\",\"name\":\"previous\",\"type\":\"address\"},{\"indexed\":true,\"internalType\":\"address\",\"name\":\"next\",\"type\":\"address\"}],\"name\":\"LedgerChanged\",\"type\":\"event\"},{\"anonymous\":false,\"inputs\":[{\"indexed\":true,\"internalType\":\"address\",\"name\":\"previous\",\"type\":\"address\"},{\"indexed\":true,\"internalType\":\"address\",\"name\":\"next\",\"type\":\"address\"}],\"name\":\"OwnerChanged\",\"type\":\"event\"},{\"anonymous\":false,\"inputs\":[{\"components\":[{\"internalType\":\"uint64\",\"name\":\"epochLength\",\"type\":\"uint64\"},{\"internalType\":\"uint16\",\"name\":\"maxUids\",\"type\":\"uint16\"},{\"internalType\":\"uint16\",\"name\":\"maxValidators\",\"type\":\"uint16\"},{\"internalType\":\"uint64\",\"name\":\"immunityPeriod\",\"type\":\"uint64\"},{\"internalType\":\"uint256\",\"name\":\"minStake\",\"type\":\"uint256\"},{\"internalType\":\"uint256\",\"name\":\"deposit\",\"type\":\"uint256\"}],\"indexed\":false,\"internalType\":\"structSubnetRegistry.Params\",\"name\":\"params\",\"type\":\"tuple\"}],\"name\":\"ParamsChanged\",\"type\":\"event\"},{\"anonymous\":false,\"inputs\":[{\"indexed\":true,\"internalType\":\"uint16\",\"name\":\"uid\",\"type\":\"uint16\"},{\"indexed\":true,\"internalType\":\"address\",\"name\":\"hotkey\",\"type\":\"address\"},{\"indexed\":false,\"internalType\":\"bool\",\"name\":\"permit\",\"type\":\"bool\"}],\"name\":\"PermitChanged\",\"type\":\"event\"},{\"anonymous\":false,\"inputs\":[{\"indexed\":true,\"internalType\":\"uint16\",\"name\":\"uid\",\"type\":\"uint16\"},{\"indexed\":true,\"internalType\":\"address\",\"name\":\"hotkey\",\"type\":\"address\"},{\"indexed\":false,\"internalType\":\"uint8\",\"name\":\"role\",\"type\":\"uint8\"},{\"indexed\":false,\"internalType\":\"uint256\",\"name\":\"deposit\",\"type\":\"uint256\"}],\"name\":\"Registered\",\"type\":\"event\"},{\"anonymous\":false,\"inputs\":[{\"indexed\":true,\"internalType\":\"uint16\",\"name\":\"uid\",\"type\":\"uint16\"},{\"indexed\":true,\"internalType\":\"address\",\"name\":\"oldHotkey\",\"type\":\"address\"},{\"indexed\":true,\"internalType\":\"address\",\"name\":\"newHotkey\",\"type\":\"address\"}],\"name\":\"Replaced\",\"type\":\"event\"},{\"anonymous\":false,\"inputs\":[{\"indexed\":true,\"internalType\":\"uint16\",\"name\":\"uid\",\"type\":\"uint16\"},{\"indexed\":true,\"internalType\":\"address\",\"name\":\"hotkey\",\"type\":\"address\"},{\"indexed\":false,\"internalType\":\"uint256\",\"name\":\"amount\",\"type\":\"uint256\"},{\"indexed\":false,\"internalType\":\"uint256\",\"name\":\"stake\",\"type\":\"uint256\"}],\"name\":\"Staked\",\"type\":\"event\"},{\"anonymous\":false,\"inputs\":[{\"indexed\":true,\"internalType\":\"uint16\",\"name\":\"uid\",\"type\":\"uint16\"},{\"indexed\":true,\"internalType\":\"address\",\"name\":\"hotkey\",\"type\":\"address\"},{\"indexed\":false,\"internalType\":\"uint256\",\"name\":\"amount\",\"type\":\"uint256\"},{\"indexed\":false,\"internalType\":\"uint256\",\"name\":\"stake\",\"type\":\"uint256\"}],\"name\":\"Unstaked\",\"type\":\"event\"},{\"anonymous\":false,\"inputs\":[{\"indexed\":false,\"internalType\":\"uint64\",\"name\":\"version\",\"type\":\"uint64\"},{\"indexed\":false,\"internalType\":\"uint256\",\"name\":\"permittedStake\",\"type\":\"uint256\"}],\"name\":\"ValidatorSetChanged\",\"type\":\"event\"},{\"anonymous\":false,\"inputs\":[{\"indexed\":true,\"internalType\":\"address\",\"name\":\"account\",\"type\":\"address\"},{\"indexed\":false,\"internalType\":\"uint256\",\"name\":\"amount\",\"type\":\"uint256\"}],\"name\":\"Withdrawn\",\"type\":\"event\"},{\"inputs\":[],\"name\":\"ROLE_MINER\",\"outputs\":[{\"internalType\":\"uint8\",\"name\":\"\",\"type\":\"uint8\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"ROLE_VALIDATOR\",\"outputs\":[{\"internalType\":\"uint8\",\"name\":\"\",\"type\":\"uint8\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"burned\",\"outputs\":[{\"internalType\":\"uint256\",\"name\":\"\",\"type\":\"uint256\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"getParams\",\"outputs\":[{\"components\":[{\"internalType\":\"uint64\",\"name\":\"epochLength\",\"type\":\"uint64\"},{\"internalType\":\"uint16\",\"name\":\"maxUids\",\"type\":\"uint16\"},{\"internalType\":\"uint16\",\"name\":\"maxValidators\",\"type\":\"uint16\"},{\"internalType\":\"uint64\",\"name\":\"immunityPeriod\",\"type\":\"uint64\"},{\"internalType\":\"uint256\",\"name\":\"minStake\",\"type\":\"uint256\"},{\"internalType\":\"uint256\",\"name\":\"deposit\",\"type\":\"uint256\"}],\"internalType\":\"structSubnetRegistry.Params\",\"name\":\"\",\"type\":\"tuple\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"ledger\",\"outputs\":[{\"internalType\":\"address\",\"name\":\"\",\"type\":\"address\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"metagraph\",\"outputs\":[{\"components\":[{\"internalType\":\"uint64\",\"name\":\"epochLength\",\"type\":\"uint64\"},{\"internalType\":\"uint16\",\"name\":\"maxUids\",\"type\":\"uint16\"},{\"internalType\":\"uint16\",\"name\":\"maxValidators\",\"type\":\"uint16\"},{\"internalType\":\"uint64\",\"name\":\"immunityPeriod\",\"type\":\"uint64\"},{\"internalType\":\"uint256\",\"name\":\"minStake\",\"type\":\"uint256\"},{\"internalType\":\"uint256\",\"name\":\"deposit\",\"type\":\"uint256\"}],\"internalType\":\"structSubnetRegistry.Params\",\"name\":\"p\",\"type\":\"tuple\"},{\"internalType\":\"uint64\",\"name\":\"version\",\"type\":\"uint64\"},{\"internalType\":\"uint256\",\"name\":\"totalPermitted\",\"type\":\"uint256\"},{\"internalType\":\"uint64\",\"name\":\"blockNumber\",\"type\":\"uint64\"},{\"components\":[{\"internalType\":\"uint16\",\"name\":\"uid\",\"type\":\"uint16\"},{\"internalType\":\"address\",\"name\":\"hotkey\",\"type\":\"address\"},{\"internalType\":\"uint8\",\"name\":\"role\",\"type\":\"uint8\"},{\"internalType\":\"bool\",\"name\":\"validatorPermit\",\"type\":\"bool\"},{\"internalType\":\"uint64\",\"name\":\"registeredAt\",\"type\":\"uint64\"},{\"internalType\":\"uint64\",\"name\":\"emissionEpoch\",\"type\":\"uint64\"},{\"internalType\":\"uint256\",\"name\":\"stake\",\"type\":\"uint256\"},{\"internalType\":\"uint256\",\"name\":\"emission\",\"type\":\"uint256\"}],\"internalType\":\"structSubnetRegistry.Neuron[]\",\"name\":\"ns\",\"type\":\"tuple[]\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"netuid\",\"outputs\":[{\"internalType\":\"uint16\",\"name\":\"\",\"type\":\"uint16\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"uint16\",\"name\":\"uid\",\"type\":\"uint16\"}],\"name\":\"neuron\",\"outputs\":[{\"components\":[{\"internalType\":\"uint16\",\"name\":\"uid\",\"type\":\"uint16\"},{\"internalType\":\"address\",\"name\":\"hotkey\",\"type\":\"address\"},{\"internalType\":\"uint8\",\"name\":\"role\",\"type\":\"uint8\"},{\"internalType\":\"bool\",\"name\":\"validatorPermit\",\"type\":\"bool\"},{\"internalType\":\"uint64\",\"name\":\"registeredAt\",\"type\":\"uint64\"},{\"internalType\":\"uint64\",\"name\":\"emissionEpoch\",\"type\":\"uint64\"},{\"internalType\":\"uint256\",\"name\":\"stake\",\"type\":\"uint256\"},{\"internalType\":\"uint256\",\"name\":\"emission\",\"type\":\"uint256\"}],\"internalType\":\"structSubnetRegistry.Neuron\",\"name\":\"n\",\"type\":\"tuple\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"uint16\",\"name\":\"uid\",\"type\":\"uint16\"},{\"internalType\":\"address\",\"name\":\"account\",\"type\":\"address\"},{\"internalType\":\"uint64\",\"name\":\"epoch\",\"type\":\"uint64\"},{\"internalType\":\"uint256\",\"name\":\"amount\",\"type\":\"uint256\"}],\"name\":\"noteEmission\",\"outputs\":[],\"stateMutability\":\"nonpayable\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"owner\",\"outputs\":[{\"internalType\":\"address\",\"name\":\"\",\"type\":\"address\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"permittedStake\",\"outputs\":[{\"internalType\":\"uint128\",\"name\":\"\",\"type\":\"uint128\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"uint8\",\"name\":\"role\",\"type\":\"uint8\"}],\"name\":\"register\",\"outputs\":[{\"internalType\":\"uint16\",\"name\":\"uid\",\"type\":\"uint16\"}],\"stateMutability\":\"payable\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"address\",\"name\":\"next\",\"type\":\"address\"}],\"name\":\"setLedger\",\"outputs\":[],\"stateMutability\":\"nonpayable\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"address\",\"name\":\"next\",\"type\":\"address\"}],\"name\":\"setOwner\",\"outputs\":[],\"stateMutability\":\"nonpayable\",\"type\":\"function\"},{\"inputs\":[{\"components\":[{\"internalType\":\"uint64\",\"name\":\"epochLength\",\"type\":\"uint64\"},{\"internalType\":\"uint16\",\"name\":\"maxUids\",\"type\":\"uint16\"},{\"internalType\":\"uint16\",\"name\":\"maxValidators\",\"type\":\"uint16\"},{\"internalType\":\"uint64\",\"name\":\"immunityPeriod\",\"type\":\"uint64\"},{\"internalType\":\"uint256\",\"name\":\"minStake\",\"type\":\"uint256\"},{\"internalType\":\"uint256\",\"name\":\"deposit\",\"type\":\"uint256\"}],\"internalType\":\"structSubnetRegistry.Params\",\"name\":\"p\",\"type\":\"tuple\"}],\"name\":\"setParams\",\"outputs\":[],\"stateMutability\":\"nonpayable\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"stake\",\"outputs\":[],\"stateMutability\":\"payable\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"uidCount\",\"outputs\":[{\"internalType\":\"uint16\",\"name\":\"\",\"type\":\"uint16\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"address\",\"name\":\"hotkey\",\"type\":\"address\"}],\"name\":\"uidOf\",\"outputs\":[{\"internalType\":\"uint16\",\"name\":\"uid\",\"type\":\"uint16\"},{\"internalType\":\"bool\",\"name\":\"ok\",\"type\":\"bool\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"uint256\",\"name\":\"amount\",\"type\":\"uint256\"}],\"name\":\"unstake\",\"outputs\":[],\"stateMutability\":\"nonpayable\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"validatorSetVersion\",\"outputs\":[{\"internalType\":\"uint64\",\"name\":\"\",\"type\":\"uint64\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"address\",\"name\":\"validator\",\"type\":\"address\"}],\"name\":\"votingPower\",\"outputs\":[{\"internalType\":\"uint256\",\"name\":\"power\",\"type\":\"uint256\"},{\"internalType\":\"uint256\",\"name\":\"total\",\"type\":\"uint256\"},{\"internalType\":\"uint64\",\"name\":\"version\",\"type\":\"uint64\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"withdraw\",\"outputs\":[],\"stateMutability\":\"nonpayable\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"address\",\"name\":\"\",\"type\":\"address\"}],\"name\":\"withdrawable\",\"outputs\":[{\"internalType\":\"uint256\",\"name\":\"\",\"type\":\"uint256\"}],\"stateMutability\":\"view\",\"type\":\"function\"}]",
	ID:  "SubnetRegistry",
	Bin: "0x60a060405234801561000f575f5ffd5b5060405161230138038061230183398101604081905261002e9161024a565b610038815f6101af565b61ffff80831660809081525f80546001600160a01b03191633908117825584516002805460208801516040808a015160608b01516001600160401b039081166c0100000000000000000000000002600160601b600160a01b0319928c166a01000000000000000000000292909216600160501b600160a01b031994909b1668010000000000000000026001600160501b03199095169616959095179290921716969096179190911790559184015160035560a084015160045591519091907fb532073b38c83145e3e5135377a08bf9aab55bc0fd7c1179cd4fb995d2a5159c908290a37f6bbc4fd91d07beca5a02b1a6324ffc8fe6047b4c1d6816ab3af31682a992c9d1816040516101a091905f60c08201905060018060401b03835116825261ffff602084015116602083015261ffff604084015116604083015260018060401b0360608401511660608301526080830151608083015260a083015160a083015292915050565b60405180910390a1505061030a565b602082015161ffff1615806101cb575080826020015161ffff16105b806101dc5750604082015161ffff16155b806101ef575081516001600160401b0316155b806101fc57506080820151155b1561021a57604051635435b28960e11b815260040160405180910390fd5b5050565b805161ffff8116811461022f575f5ffd5b919050565b80516001600160401b038116811461022f575f5ffd5b5f5f82840360e081121561025c575f5ffd5b6102658461021e565b925060c0601f1982011215610278575f5ffd5b5060405160c081016001600160401b03811182821017156102a757634e487b7160e01b5f52604160045260245ffd5b6040526102b660208501610234565b81526102c46040850161021e565b60208201526102d56060850161021e565b60408201526102e660808501610234565b606082015260a084810151608083015260c090940151938101939093525092909150565b608051611fdf6103225f395f6104ed0152611fdf5ff3fe60806040526004361061013c575f3560e01c806379fcae4a116100b357806393d010811161006d57806393d0108114610423578063b8dbac8114610437578063c07473f61461046e578063ce513b6f146104b1578063e78015b1146104dc578063fc6679fb1461050f575f5ffd5b806379fcae4a1461034f5780637b4599d41461038d57806387164a59146103b35780638c63788d146103d25780638da5cb5b146103e65780638de8ab2014610404575f5ffd5b80633ccfd60b116101045780633ccfd60b146101e557806356397c35146101f95780635e615a6b1461023057806361d689fa146102da578063684c35071461030057806373f425611461032c575f5ffd5b80630b688f401461014057806313af40351461017e5780632e17de781461019f5780633246887d146101be5780633a4b66f1146101dd575b5f5ffd5b34801561014b575f5ffd5b5061015f61015a366004611a5c565b610534565b6040805161ffff90931683529015156020830152015b60405180910390f35b348015610189575f5ffd5b5061019d610198366004611a5c565b610576565b005b3480156101aa575f5ffd5b5061019d6101b9366004611a75565b610627565b3480156101c9575f5ffd5b5061019d6101d8366004611a5c565b610731565b61019d6107b8565b3480156101f0575f5ffd5b5061019d6108b4565b348015610204575f5ffd5b50600154610218906001600160a01b031681565b6040516001600160a01b039091168152602001610175565b34801561023b575f5ffd5b506102cd6040805160c0810182525f80825260208201819052918101829052606081018290526080810182905260a0810191909152506040805160c0810182526002546001600160401b03808216835261ffff600160401b830481166020850152600160501b83041693830193909352600160601b90049091166060820152600354608082015260045460a082015290565b6040516101759190611ae0565b6102ed6102e8366004611af4565b61093c565b60405161ffff9091168152602001610175565b34801561030b575f5ffd5b5061031f61031a366004611b2e565b610e1f565b6040516101759190611bcf565b348015610337575f5ffd5b5061034160065481565b604051908152602001610175565b34801561035a575f5ffd5b5060055461037590600160801b90046001600160401b031681565b6040516001600160401b039091168152602001610175565b348015610398575f5ffd5b506103a1600281565b60405160ff9091168152602001610175565b3480156103be575f5ffd5b5061019d6103cd366004611bfd565b610f0e565b3480156103dd575f5ffd5b506007546102ed565b3480156103f1575f5ffd5b505f54610218906001600160a01b031681565b34801561040f575f5ffd5b5061019d61041e366004611c49565b611024565b34801561042e575f5ffd5b506103a1600181565b348015610442575f5ffd5b50600554610456906001600160801b031681565b6040516001600160801b039091168152602001610175565b348015610479575f5ffd5b5061048d610488366004611a5c565b6110bb565b6040805193845260208401929092526001600160401b031690820152606001610175565b3480156104bc575f5ffd5b506103416104cb366004611a5c565b60096020525f908152604090205481565b3480156104e7575f5ffd5b506102ed7f000000000000000000000000000000000000000000000000000000000000000081565b34801561051a575f5ffd5b50610523611151565b604051610175959493929190611c62565b6001600160a01b0381165f90815260086020526040812054819080820361056057505f93849350915050565b61056b600182611cfa565b946001945092505050565b5f546001600160a01b031633146105a75760405163245aecd360e01b81523360048201526024015b60405180910390fd5b6001600160a01b0381166105ce57604051635435b28960e11b815260040160405180910390fd5b5f80546040516001600160a01b03808516939216917fb532073b38c83145e3e5135377a08bf9aab55bc0fd7c1179cd4fb995d2a5159c91a35f80546001600160a01b0319166001600160a01b0392909216919091179055565b805f0361064757604051631f2a200560e01b815260040160405180910390fd5b5f610651336112cb565b90505f60078261ffff168154811061066b5761066b611d0d565b905f5260205f209060040201905082816002015410156106ae5760028101546040516322df051360e11b815260048101919091526024810184905260440161059e565b82816002015f8282546106c19190611cfa565b90915550506002810154604080518581526020810192909252339161ffff8516917f99cbe6fea80e81f4330fcd642a65f55d6409c47d85f2e6f2d869d56ff50a1a35910160405180910390a3805461072290600160a81b900460ff16611320565b61072c3384611898565b505050565b5f546001600160a01b0316331461075d5760405163245aecd360e01b815233600482015260240161059e565b6001546040516001600160a01b038084169216907f92f6e7e571038a5bb7ee0bd080345d8aafd480837f7877b1e0253734f106493a905f90a3600180546001600160a01b0319166001600160a01b0392909216919091179055565b345f036107d857604051631f2a200560e01b815260040160405180910390fd5b5f6107e2336112cb565b90505f60078261ffff16815481106107fc576107fc611d0d565b5f91825260209091206004909102018054909150600160a01b900460ff1660021461083c57604051633b4f6e2b60e21b815233600482015260240161059e565b34816002015f82825461084f9190611d21565b90915550506002810154604080513481526020810192909252339161ffff8516917ff1dc309805ef65e74d5b26295f8d0fb215b3b85a325195618ab0a2b49c5e1c7d910160405180910390a380546108b090600160a81b900460ff16611320565b5050565b335f90815260096020526040812054908190036108e457604051631f2a200560e01b815260040160405180910390fd5b335f8181526009602052604080822091909155517f7084f5476618d8e60b11ef0d7d3f06914655adb8793e28ff7f018d4c76d505d5906109279084815260200190565b60405180910390a26109393382611898565b50565b5f60ff8216600114801590610955575060ff8216600214155b15610978576040516378bc326f60e11b815260ff8316600482015260240161059e565b335f9081526008602052604090205480156109c75733610999600183611cfa565b60405163dac10cd160e01b81526001600160a01b03909216600483015261ffff16602482015260440161059e565b6040805160c0810182526002546001600160401b03808216835261ffff600160401b830481166020850152600160501b83041693830193909352600160601b90049091166060820152600354608082015260045460a082018190523414610a505760a08101516040516305897f0960e01b8152346004820152602481019190915260440161059e565b3460065f828254610a619190611d21565b90915550506040805160e08101825233815260ff86166020808301919091525f9282018390526001600160401b03431660608301526080820183905260a0820183905260c08201929092529082015160075461ffff9091161115610c0857600780546001810182555f9190915281517fa66cc928b5edb82af9bd49922954155ab7b0942694bea4ce44661d9a8736c6886004830290810180546020860151604087015160608801516001600160a01b039096166001600160a81b031990931692909217600160a01b60ff909216919091021768ffffffffffffffffff60a81b1916600160a81b9115159190910267ffffffffffffffff60b01b191617600160b01b6001600160401b039485160217905560808401517fa66cc928b5edb82af9bd49922954155ab7b0942694bea4ce44661d9a8736c6898201805467ffffffffffffffff1916919093161790915560a08301517fa66cc928b5edb82af9bd49922954155ab7b0942694bea4ce44661d9a8736c68a82015560c08301517fa66cc928b5edb82af9bd49922954155ab7b0942694bea4ce44661d9a8736c68b909101559350610daf565b610c158260600151611908565b93505f60078561ffff1681548110610c2f57610c2f611d0d565b5f9182526020808320600490920290910180546001600160a01b03168084526008909252604083209290925560028201549192509015610c9b5760028201546001600160a01b0382165f9081526009602052604081208054909190610c95908490611d21565b90915550505b8260078761ffff1681548110610cb357610cb3611d0d565b5f9182526020808320845160049093020180549185015160408087015160608801516001600160401b03908116600160b01b0267ffffffffffffffff60b01b19921515600160a81b029290921668ffffffffffffffffff60a81b1960ff909516600160a01b026001600160a81b03199097166001600160a01b039889161796909617939093169490941793909317825560808601516001830180549190921667ffffffffffffffff1990911617905560a0850151600282015560c0909401516003909401939093559151339284169161ffff8a16917fa3875ea57b3b27af7c3b7f2eda13af9fada4986fbb6a67accaa0a6c74e08b93d9190a450505b610dbe61ffff85166001611d21565b335f8181526008602090815260409182902093909355805160ff891681523493810193909352909161ffff8716917f43c01a2e67360fbbe9e66867cd5af472e530bf9740ae10a9d6730009af0a653e910160405180910390a3505050919050565b60408051610100810182525f80825260208201819052918101829052606081018290526080810182905260a0810182905260c0810182905260e08101919091525f60078361ffff1681548110610e7757610e77611d0d565b5f918252602091829020604080516101008101825261ffff909716875260049092020180546001600160a01b0381169387019390935260ff600160a01b8404811692870192909252600160a81b8304909116151560608601526001600160401b03600160b01b90920482166080860152600181015490911660a0850152600281015460c08501526003015460e08401525090919050565b6001546001600160a01b03163314610f3b576040516305d06fdd60e31b815233600482015260240161059e565b60075461ffff8516101561101e575f60078561ffff1681548110610f6157610f61611d0d565b5f918252602090912060049091020180549091506001600160a01b038581169116141580610f9f575060018101546001600160401b03908116908416105b15610faa575061101e565b60018101805467ffffffffffffffff19166001600160401b0385169081179091556003820183905560408051918252602082018490526001600160a01b0386169161ffff8816917f7ddd0836852d380970364662670f4e474b6cb53c5c060c4b1856663433f1739c910160405180910390a3505b50505050565b5f546001600160a01b031633146110505760405163245aecd360e01b815233600482015260240161059e565b61106a61106236839003830183611d48565b6007546119d6565b8060026110778282611df2565b9050507f6bbc4fd91d07beca5a02b1a6324ffc8fe6047b4c1d6816ab3af31682a992c9d1816040516110a99190611eb9565b60405180910390a16109396001611320565b6001600160a01b0381165f90815260086020526040812054819081908015611128575f60076110eb600184611cfa565b815481106110fb576110fb611d0d565b5f91825260209091206004909102018054909150600160a81b900460ff161561112657806002015494505b505b50506005546001600160801b03811691506001600160401b03600160801b909104169193909250565b6040805160c0810182525f80825260208201819052918101829052606081018290526080810182905260a08101919091525f5f5f60606007805490506001600160401b038111156111a4576111a4611d34565b60405190808252806020026020018201604052801561121157816020015b60408051610100810182525f8082526020808301829052928201819052606082018190526080820181905260a0820181905260c0820181905260e082015282525f199092019101816111c25790505b5090505f5b60075481101561124e5761122981610e1f565b82828151811061123b5761123b611d0d565b6020908102919091010152600101611216565b506005546040805160c0810182526002546001600160401b03818116835261ffff600160401b830481166020850152600160501b83041693830193909352600160601b900482166060820152600354608082015260045460a08201529650600160801b82041694506001600160801b031692504391509091929394565b6001600160a01b0381165f9081526008602052604081205480820361130e5760405163bfc6c33760e01b81526001600160a01b038416600482015260240161059e565b611319600182611cfa565b9392505050565b6040805160c0810182526002546001600160401b03808216835261ffff600160401b830481166020850152600160501b830416938301849052600160601b90910481166060830152600354608083015260045460a083015260075491925f9181111561138e5761138e611d34565b6040519080825280602002602001820160405280156113b7578160200160208202803683370190505b5090505f836040015161ffff166001600160401b038111156113db576113db611d34565b604051908082528060200260200182016040528015611404578160200160208202803683370190505b5090505f805b84811015611612575f6007828154811061142657611426611d0d565b5f91825260209091206004909102018054909150600160a01b900460ff16600214611451575061160a565b6002810154608088015181101561146957505061160a565b835b5f8111801561149c57508186611482600184611cfa565b8151811061149257611492611d0d565b6020026020010151105b156114b357806114ab81611f38565b91505061146b565b886040015161ffff1681106114ca5750505061160a565b5f896040015161ffff1686106114f45760018a604001516114eb9190611f4d565b61ffff166114f6565b855b9050805b8281111561159e578861150e600183611cfa565b8151811061151e5761151e611d0d565b602002602001015189828151811061153857611538611d0d565b61ffff9092166020928302919091019091015287611557600183611cfa565b8151811061156757611567611d0d565b602002602001015188828151811061158157611581611d0d565b60209081029190910101528061159681611f38565b9150506114fa565b50848883815181106115b2576115b2611d0d565b602002602001019061ffff16908161ffff1681525050828783815181106115db576115db611d0d565b602002602001018181525050896040015161ffff16861015611605578561160181611f67565b9650505b505050505b60010161140a565b505f846001600160401b0381111561162c5761162c611d34565b604051908082528060200260200182016040528015611655578160200160208202803683370190505b5090505f5b828110156116ab5760018286838151811061167757611677611d0d565b602002602001015161ffff168151811061169357611693611d0d565b9115156020928302919091019091015260010161165a565b50865f805b8781101561179f575f600782815481106116cc576116cc611d0d565b905f5260205f20906004020190505f8583815181106116ed576116ed611d0d565b60200260200101519050801561170f57600282015461170c9085611d21565b93505b815460ff600160a81b90910416151581151514611795578154811515600160a81b0260ff60a81b19821681178455604051600197506001600160a01b0391821691909216179061ffff8516907f7eb8fdc6b87c203937c3e556534c620b65c2a1a5a4d4f47f480403e11aeb62a29061178c90851515815260200190565b60405180910390a35b50506001016116b0565b5081806117b757506005546001600160801b03168114155b1561188d576001600160801b038111156117e457604051635435b28960e11b815260040160405180910390fd5b600580546fffffffffffffffffffffffffffffffff19166001600160801b03831617808255600160801b90046001600160401b031690601061182583611f7f565b82546101009290920a6001600160401b0381810219909316918316021790915560055460408051600160801b9092049092168152602081018490527f11e30e2c702006f17a64e5674b7c299c7595fed896877f3acd076ca5ea32737f92500160405180910390a15b505050505050505050565b5f826001600160a01b0316826040515f6040518083038185875af1925050503d805f81146118e1576040519150601f19603f3d011682016040523d82523d5f602084013e6118e6565b606091505b505090508061072c576040516312171d8360e31b815260040160405180910390fd5b6007545f9081908190815b818110156119af575f6007828154811061192f5761192f611d0d565b5f91825260209091206004909102018054909150600160a81b900460ff1680611976575080544390611974906001600160401b03808b1691600160b01b900416611d21565b115b1561198157506119a7565b8415806119915750838160030154105b156119a55760019450819550806003015493505b505b600101611913565b50826119ce57604051630f91ce3360e41b815260040160405180910390fd5b505050919050565b602082015161ffff1615806119f2575080826020015161ffff16105b80611a035750604082015161ffff16155b80611a16575081516001600160401b0316155b80611a2357506080820151155b156108b057604051635435b28960e11b815260040160405180910390fd5b80356001600160a01b0381168114611a57575f5ffd5b919050565b5f60208284031215611a6c575f5ffd5b61131982611a41565b5f60208284031215611a85575f5ffd5b5035919050565b6001600160401b03815116825261ffff602082015116602083015261ffff60408201511660408301526001600160401b0360608201511660608301526080810151608083015260a081015160a08301525050565b60c08101611aee8284611a8c565b92915050565b5f60208284031215611b04575f5ffd5b813560ff81168114611319575f5ffd5b61ffff81168114610939575f5ffd5b8035611a5781611b14565b5f60208284031215611b3e575f5ffd5b813561131981611b14565b61ffff815116825260018060a01b03602082015116602083015260ff60408201511660408301526060810151611b83606084018215159052565b506080810151611b9e60808401826001600160401b03169052565b5060a0810151611bb960a08401826001600160401b03169052565b5060c0818101519083015260e090810151910152565b6101008101611aee8284611b49565b6001600160401b0381168114610939575f5ffd5b8035611a5781611bde565b5f5f5f5f60808587031215611c10575f5ffd5b8435611c1b81611b14565b9350611c2960208601611a41565b92506040850135611c3981611bde565b9396929550929360600135925050565b5f60c0828403128015611c5a575f5ffd5b509092915050565b5f6101408201611c728389611a8c565b6001600160401b0387811660c085015260e08401879052851661010084015261014061012084015283519081905260208401906101608401905f5b81811015611cd757611cc0838551611b49565b602093909301926101009290920191600101611cad565b50909998505050505050505050565b634e487b7160e01b5f52601160045260245ffd5b81810381811115611aee57611aee611ce6565b634e487b7160e01b5f52603260045260245ffd5b80820180821115611aee57611aee611ce6565b634e487b7160e01b5f52604160045260245ffd5b5f60c0828403128015611d59575f5ffd5b5060405160c081016001600160401b0381118282101715611d8857634e487b7160e01b5f52604160045260245ffd5b604052611d9483611bf2565b8152611da260208401611b23565b6020820152611db360408401611b23565b6040820152611dc460608401611bf2565b60608201526080838101359082015260a0928301359281019290925250919050565b5f8135611aee81611bde565b8135611dfd81611bde565b81546020840135611e0d81611b14565b69ffff00000000000000008160401b166001600160401b03841669ffffffffffffffffffff198416171784555050505f6040830135611e4b81611b14565b825461ffff60501b191660509190911b61ffff60501b1617825550611ea1611e7560608401611de6565b82805467ffffffffffffffff60601b191660609290921b67ffffffffffffffff60601b16919091179055565b6080820135600182015560a090910135600290910155565b60c081018235611ec881611bde565b6001600160401b031682526020830135611ee181611b14565b61ffff1660208301526040830135611ef881611b14565b61ffff1660408301526060830135611f0f81611bde565b6001600160401b031660608301526080838101359083015260a092830135929091019190915290565b5f81611f4657611f46611ce6565b505f190190565b61ffff8281168282160390811115611aee57611aee611ce6565b5f60018201611f7857611f78611ce6565b5060010190565b5f6001600160401b0382166001600160401b038103611fa057611fa0611ce6565b6001019291505056fea26469706673582212206b53cfe49c856a85cdf7788bf3474afeff004b3c22ad8853503695b67b13ab4064736f6c63430008250033",
}

// SubnetRegistry is an auto generated Go binding around an Ethereum contract.
type SubnetRegistry struct {
	abi abi.ABI
}

// GetABI returns the ABI associated with this contract binding.
func (c *SubnetRegistry) GetABI() abi.ABI {
	return c.abi
}

// NewSubnetRegistry creates a new instance of SubnetRegistry.
func NewSubnetRegistry() *SubnetRegistry {
	parsed, err := SubnetRegistryMetaData.ParseABI()
	if err != nil {
		panic(errors.New("invalid ABI: " + err.Error()))
	}
	return &SubnetRegistry{abi: *parsed}
}

// Instance creates a wrapper for a deployed contract instance at the given address.
// Use this to create the instance object passed to abigen v2 library functions Call, Transact, etc.
func (c *SubnetRegistry) Instance(backend bind.ContractBackend, addr common.Address) *bind.BoundContract {
	return bind.NewBoundContract(addr, c.abi, backend, backend, backend)
}

// PackConstructor is the Go binding used to pack the parameters required for
// contract deployment.
//
// Solidity: constructor(uint16 netuid_, (uint64,uint16,uint16,uint64,uint256,uint256) p) returns()
func (subnetRegistry *SubnetRegistry) PackConstructor(netuid_ uint16, p SubnetRegistryParams) []byte {
	enc, err := subnetRegistry.abi.Pack("", netuid_, p)
	if err != nil {
		panic(err)
	}
	return enc
}

// PackROLEMINER is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x93d01081.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function ROLE_MINER() view returns(uint8)
func (subnetRegistry *SubnetRegistry) PackROLEMINER() []byte {
	enc, err := subnetRegistry.abi.Pack("ROLE_MINER")
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackROLEMINER is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x93d01081.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function ROLE_MINER() view returns(uint8)
func (subnetRegistry *SubnetRegistry) TryPackROLEMINER() ([]byte, error) {
	return subnetRegistry.abi.Pack("ROLE_MINER")
}

// UnpackROLEMINER is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x93d01081.
//
// Solidity: function ROLE_MINER() view returns(uint8)
func (subnetRegistry *SubnetRegistry) UnpackROLEMINER(data []byte) (uint8, error) {
	out, err := subnetRegistry.abi.Unpack("ROLE_MINER", data)
	if err != nil {
		return *new(uint8), err
	}
	out0 := *abi.ConvertType(out[0], new(uint8)).(*uint8)
	return out0, nil
}

// PackROLEVALIDATOR is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x7b4599d4.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function ROLE_VALIDATOR() view returns(uint8)
func (subnetRegistry *SubnetRegistry) PackROLEVALIDATOR() []byte {
	enc, err := subnetRegistry.abi.Pack("ROLE_VALIDATOR")
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackROLEVALIDATOR is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x7b4599d4.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function ROLE_VALIDATOR() view returns(uint8)
func (subnetRegistry *SubnetRegistry) TryPackROLEVALIDATOR() ([]byte, error) {
	return subnetRegistry.abi.Pack("ROLE_VALIDATOR")
}

// UnpackROLEVALIDATOR is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x7b4599d4.
//
// Solidity: function ROLE_VALIDATOR() view returns(uint8)
func (subnetRegistry *SubnetRegistry) UnpackROLEVALIDATOR(data []byte) (uint8, error) {
	out, err := subnetRegistry.abi.Unpack("ROLE_VALIDATOR", data)
	if err != nil {
		return *new(uint8), err
	}
	out0 := *abi.ConvertType(out[0], new(uint8)).(*uint8)
	return out0, nil
}

// PackBurned is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x73f42561.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function burned() view returns(uint256)
func (subnetRegistry *SubnetRegistry) PackBurned() []byte {
	enc, err := subnetRegistry.abi.Pack("burned")
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackBurned is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x73f42561.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function burned() view returns(uint256)
func (subnetRegistry *SubnetRegistry) TryPackBurned() ([]byte, error) {
	return subnetRegistry.abi.Pack("burned")
}

// UnpackBurned is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x73f42561.
//
// Solidity: function burned() view returns(uint256)
func (subnetRegistry *SubnetRegistry) UnpackBurned(data []byte) (*big.Int, error) {
	out, err := subnetRegistry.abi.Unpack("burned", data)
	if err != nil {
		return new(big.Int), err
	}
	out0 := abi.ConvertType(out[0], new(big.Int)).(*big.Int)
	return out0, nil
}

// PackGetParams is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x5e615a6b.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function getParams() view returns((uint64,uint16,uint16,uint64,uint256,uint256))
func (subnetRegistry *SubnetRegistry) PackGetParams() []byte {
	enc, err := subnetRegistry.abi.Pack("getParams")
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackGetParams is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x5e615a6b.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function getParams() view returns((uint64,uint16,uint16,uint64,uint256,uint256))
func (subnetRegistry *SubnetRegistry) TryPackGetParams() ([]byte, error) {
	return subnetRegistry.abi.Pack("getParams")
}

// UnpackGetParams is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x5e615a6b.
//
// Solidity: function getParams() view returns((uint64,uint16,uint16,uint64,uint256,uint256))
func (subnetRegistry *SubnetRegistry) UnpackGetParams(data []byte) (SubnetRegistryParams, error) {
	out, err := subnetRegistry.abi.Unpack("getParams", data)
	if err != nil {
		return *new(SubnetRegistryParams), err
	}
	out0 := *abi.ConvertType(out[0], new(SubnetRegistryParams)).(*SubnetRegistryParams)
	return out0, nil
}

// PackLedger is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x56397c35.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function ledger() view returns(address)
func (subnetRegistry *SubnetRegistry) PackLedger() []byte {
	enc, err := subnetRegistry.abi.Pack("ledger")
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackLedger is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x56397c35.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function ledger() view returns(address)
func (subnetRegistry *SubnetRegistry) TryPackLedger() ([]byte, error) {
	return subnetRegistry.abi.Pack("ledger")
}

// UnpackLedger is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x56397c35.
//
// Solidity: function ledger() view returns(address)
func (subnetRegistry *SubnetRegistry) UnpackLedger(data []byte) (common.Address, error) {
	out, err := subnetRegistry.abi.Unpack("ledger", data)
	if err != nil {
		return *new(common.Address), err
	}
	out0 := *abi.ConvertType(out[0], new(common.Address)).(*common.Address)
	return out0, nil
}

// PackMetagraph is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xfc6679fb.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function metagraph() view returns((uint64,uint16,uint16,uint64,uint256,uint256) p, uint64 version, uint256 totalPermitted, uint64 blockNumber, (uint16,address,uint8,bool,uint64,uint64,uint256,uint256)[] ns)
func (subnetRegistry *SubnetRegistry) PackMetagraph() []byte {
	enc, err := subnetRegistry.abi.Pack("metagraph")
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackMetagraph is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xfc6679fb.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function metagraph() view returns((uint64,uint16,uint16,uint64,uint256,uint256) p, uint64 version, uint256 totalPermitted, uint64 blockNumber, (uint16,address,uint8,bool,uint64,uint64,uint256,uint256)[] ns)
func (subnetRegistry *SubnetRegistry) TryPackMetagraph() ([]byte, error) {
	return subnetRegistry.abi.Pack("metagraph")
}

// MetagraphOutput serves as a container for the return parameters of contract
// method Metagraph.
type MetagraphOutput struct {
	P              SubnetRegistryParams
	Version        uint64
	TotalPermitted *big.Int
	BlockNumber    uint64
	Ns             []SubnetRegistryNeuron
}

// UnpackMetagraph is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0xfc6679fb.
//
// Solidity: function metagraph() view returns((uint64,uint16,uint16,uint64,uint256,uint256) p, uint64 version, uint256 totalPermitted, uint64 blockNumber, (uint16,address,uint8,bool,uint64,uint64,uint256,uint256)[] ns)
func (subnetRegistry *SubnetRegistry) UnpackMetagraph(data []byte) (MetagraphOutput, error) {
	out, err := subnetRegistry.abi.Unpack("metagraph", data)
	outstruct := new(MetagraphOutput)
	if err != nil {
		return *outstruct, err
	}
	outstruct.P = *abi.ConvertType(out[0], new(SubnetRegistryParams)).(*SubnetRegistryParams)
	outstruct.Version = *abi.ConvertType(out[1], new(uint64)).(*uint64)
	outstruct.TotalPermitted = abi.ConvertType(out[2], new(big.Int)).(*big.Int)
	outstruct.BlockNumber = *abi.ConvertType(out[3], new(uint64)).(*uint64)
	outstruct.Ns = *abi.ConvertType(out[4], new([]SubnetRegistryNeuron)).(*[]SubnetRegistryNeuron)
	return *outstruct, nil
}

// PackNetuid is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xe78015b1.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function netuid() view returns(uint16)
func (subnetRegistry *SubnetRegistry) PackNetuid() []byte {
	enc, err := subnetRegistry.abi.Pack("netuid")
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
func (subnetRegistry *SubnetRegistry) TryPackNetuid() ([]byte, error) {
	return subnetRegistry.abi.Pack("netuid")
}

// UnpackNetuid is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0xe78015b1.
//
// Solidity: function netuid() view returns(uint16)
func (subnetRegistry *SubnetRegistry) UnpackNetuid(data []byte) (uint16, error) {
	out, err := subnetRegistry.abi.Unpack("netuid", data)
	if err != nil {
		return *new(uint16), err
	}
	out0 := *abi.ConvertType(out[0], new(uint16)).(*uint16)
	return out0, nil
}

// PackNeuron is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x684c3507.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function neuron(uint16 uid) view returns((uint16,address,uint8,bool,uint64,uint64,uint256,uint256) n)
func (subnetRegistry *SubnetRegistry) PackNeuron(uid uint16) []byte {
	enc, err := subnetRegistry.abi.Pack("neuron", uid)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackNeuron is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x684c3507.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function neuron(uint16 uid) view returns((uint16,address,uint8,bool,uint64,uint64,uint256,uint256) n)
func (subnetRegistry *SubnetRegistry) TryPackNeuron(uid uint16) ([]byte, error) {
	return subnetRegistry.abi.Pack("neuron", uid)
}

// UnpackNeuron is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x684c3507.
//
// Solidity: function neuron(uint16 uid) view returns((uint16,address,uint8,bool,uint64,uint64,uint256,uint256) n)
func (subnetRegistry *SubnetRegistry) UnpackNeuron(data []byte) (SubnetRegistryNeuron, error) {
	out, err := subnetRegistry.abi.Unpack("neuron", data)
	if err != nil {
		return *new(SubnetRegistryNeuron), err
	}
	out0 := *abi.ConvertType(out[0], new(SubnetRegistryNeuron)).(*SubnetRegistryNeuron)
	return out0, nil
}

// PackNoteEmission is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x87164a59.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function noteEmission(uint16 uid, address account, uint64 epoch, uint256 amount) returns()
func (subnetRegistry *SubnetRegistry) PackNoteEmission(uid uint16, account common.Address, epoch uint64, amount *big.Int) []byte {
	enc, err := subnetRegistry.abi.Pack("noteEmission", uid, account, epoch, amount)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackNoteEmission is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x87164a59.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function noteEmission(uint16 uid, address account, uint64 epoch, uint256 amount) returns()
func (subnetRegistry *SubnetRegistry) TryPackNoteEmission(uid uint16, account common.Address, epoch uint64, amount *big.Int) ([]byte, error) {
	return subnetRegistry.abi.Pack("noteEmission", uid, account, epoch, amount)
}

// PackOwner is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x8da5cb5b.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function owner() view returns(address)
func (subnetRegistry *SubnetRegistry) PackOwner() []byte {
	enc, err := subnetRegistry.abi.Pack("owner")
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackOwner is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x8da5cb5b.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function owner() view returns(address)
func (subnetRegistry *SubnetRegistry) TryPackOwner() ([]byte, error) {
	return subnetRegistry.abi.Pack("owner")
}

// UnpackOwner is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x8da5cb5b.
//
// Solidity: function owner() view returns(address)
func (subnetRegistry *SubnetRegistry) UnpackOwner(data []byte) (common.Address, error) {
	out, err := subnetRegistry.abi.Unpack("owner", data)
	if err != nil {
		return *new(common.Address), err
	}
	out0 := *abi.ConvertType(out[0], new(common.Address)).(*common.Address)
	return out0, nil
}

// PackPermittedStake is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xb8dbac81.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function permittedStake() view returns(uint128)
func (subnetRegistry *SubnetRegistry) PackPermittedStake() []byte {
	enc, err := subnetRegistry.abi.Pack("permittedStake")
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackPermittedStake is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xb8dbac81.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function permittedStake() view returns(uint128)
func (subnetRegistry *SubnetRegistry) TryPackPermittedStake() ([]byte, error) {
	return subnetRegistry.abi.Pack("permittedStake")
}

// UnpackPermittedStake is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0xb8dbac81.
//
// Solidity: function permittedStake() view returns(uint128)
func (subnetRegistry *SubnetRegistry) UnpackPermittedStake(data []byte) (*big.Int, error) {
	out, err := subnetRegistry.abi.Unpack("permittedStake", data)
	if err != nil {
		return new(big.Int), err
	}
	out0 := abi.ConvertType(out[0], new(big.Int)).(*big.Int)
	return out0, nil
}

// PackRegister is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x61d689fa.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function register(uint8 role) payable returns(uint16 uid)
func (subnetRegistry *SubnetRegistry) PackRegister(role uint8) []byte {
	enc, err := subnetRegistry.abi.Pack("register", role)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackRegister is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x61d689fa.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function register(uint8 role) payable returns(uint16 uid)
func (subnetRegistry *SubnetRegistry) TryPackRegister(role uint8) ([]byte, error) {
	return subnetRegistry.abi.Pack("register", role)
}

// UnpackRegister is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x61d689fa.
//
// Solidity: function register(uint8 role) payable returns(uint16 uid)
func (subnetRegistry *SubnetRegistry) UnpackRegister(data []byte) (uint16, error) {
	out, err := subnetRegistry.abi.Unpack("register", data)
	if err != nil {
		return *new(uint16), err
	}
	out0 := *abi.ConvertType(out[0], new(uint16)).(*uint16)
	return out0, nil
}

// PackSetLedger is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x3246887d.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function setLedger(address next) returns()
func (subnetRegistry *SubnetRegistry) PackSetLedger(next common.Address) []byte {
	enc, err := subnetRegistry.abi.Pack("setLedger", next)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackSetLedger is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x3246887d.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function setLedger(address next) returns()
func (subnetRegistry *SubnetRegistry) TryPackSetLedger(next common.Address) ([]byte, error) {
	return subnetRegistry.abi.Pack("setLedger", next)
}

// PackSetOwner is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x13af4035.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function setOwner(address next) returns()
func (subnetRegistry *SubnetRegistry) PackSetOwner(next common.Address) []byte {
	enc, err := subnetRegistry.abi.Pack("setOwner", next)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackSetOwner is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x13af4035.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function setOwner(address next) returns()
func (subnetRegistry *SubnetRegistry) TryPackSetOwner(next common.Address) ([]byte, error) {
	return subnetRegistry.abi.Pack("setOwner", next)
}

// PackSetParams is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x8de8ab20.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function setParams((uint64,uint16,uint16,uint64,uint256,uint256) p) returns()
func (subnetRegistry *SubnetRegistry) PackSetParams(p SubnetRegistryParams) []byte {
	enc, err := subnetRegistry.abi.Pack("setParams", p)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackSetParams is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x8de8ab20.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function setParams((uint64,uint16,uint16,uint64,uint256,uint256) p) returns()
func (subnetRegistry *SubnetRegistry) TryPackSetParams(p SubnetRegistryParams) ([]byte, error) {
	return subnetRegistry.abi.Pack("setParams", p)
}

// PackStake is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x3a4b66f1.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function stake() payable returns()
func (subnetRegistry *SubnetRegistry) PackStake() []byte {
	enc, err := subnetRegistry.abi.Pack("stake")
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackStake is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x3a4b66f1.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function stake() payable returns()
func (subnetRegistry *SubnetRegistry) TryPackStake() ([]byte, error) {
	return subnetRegistry.abi.Pack("stake")
}

// PackUidCount is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x8c63788d.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function uidCount() view returns(uint16)
func (subnetRegistry *SubnetRegistry) PackUidCount() []byte {
	enc, err := subnetRegistry.abi.Pack("uidCount")
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackUidCount is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x8c63788d.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function uidCount() view returns(uint16)
func (subnetRegistry *SubnetRegistry) TryPackUidCount() ([]byte, error) {
	return subnetRegistry.abi.Pack("uidCount")
}

// UnpackUidCount is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x8c63788d.
//
// Solidity: function uidCount() view returns(uint16)
func (subnetRegistry *SubnetRegistry) UnpackUidCount(data []byte) (uint16, error) {
	out, err := subnetRegistry.abi.Unpack("uidCount", data)
	if err != nil {
		return *new(uint16), err
	}
	out0 := *abi.ConvertType(out[0], new(uint16)).(*uint16)
	return out0, nil
}

// PackUidOf is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x0b688f40.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function uidOf(address hotkey) view returns(uint16 uid, bool ok)
func (subnetRegistry *SubnetRegistry) PackUidOf(hotkey common.Address) []byte {
	enc, err := subnetRegistry.abi.Pack("uidOf", hotkey)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackUidOf is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x0b688f40.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function uidOf(address hotkey) view returns(uint16 uid, bool ok)
func (subnetRegistry *SubnetRegistry) TryPackUidOf(hotkey common.Address) ([]byte, error) {
	return subnetRegistry.abi.Pack("uidOf", hotkey)
}

// UidOfOutput serves as a container for the return parameters of contract
// method UidOf.
type UidOfOutput struct {
	Uid uint16
	Ok  bool
}

// UnpackUidOf is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x0b688f40.
//
// Solidity: function uidOf(address hotkey) view returns(uint16 uid, bool ok)
func (subnetRegistry *SubnetRegistry) UnpackUidOf(data []byte) (UidOfOutput, error) {
	out, err := subnetRegistry.abi.Unpack("uidOf", data)
	outstruct := new(UidOfOutput)
	if err != nil {
		return *outstruct, err
	}
	outstruct.Uid = *abi.ConvertType(out[0], new(uint16)).(*uint16)
	outstruct.Ok = *abi.ConvertType(out[1], new(bool)).(*bool)
	return *outstruct, nil
}

// PackUnstake is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x2e17de78.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function unstake(uint256 amount) returns()
func (subnetRegistry *SubnetRegistry) PackUnstake(amount *big.Int) []byte {
	enc, err := subnetRegistry.abi.Pack("unstake", amount)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackUnstake is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x2e17de78.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function unstake(uint256 amount) returns()
func (subnetRegistry *SubnetRegistry) TryPackUnstake(amount *big.Int) ([]byte, error) {
	return subnetRegistry.abi.Pack("unstake", amount)
}

// PackValidatorSetVersion is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x79fcae4a.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function validatorSetVersion() view returns(uint64)
func (subnetRegistry *SubnetRegistry) PackValidatorSetVersion() []byte {
	enc, err := subnetRegistry.abi.Pack("validatorSetVersion")
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackValidatorSetVersion is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x79fcae4a.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function validatorSetVersion() view returns(uint64)
func (subnetRegistry *SubnetRegistry) TryPackValidatorSetVersion() ([]byte, error) {
	return subnetRegistry.abi.Pack("validatorSetVersion")
}

// UnpackValidatorSetVersion is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x79fcae4a.
//
// Solidity: function validatorSetVersion() view returns(uint64)
func (subnetRegistry *SubnetRegistry) UnpackValidatorSetVersion(data []byte) (uint64, error) {
	out, err := subnetRegistry.abi.Unpack("validatorSetVersion", data)
	if err != nil {
		return *new(uint64), err
	}
	out0 := *abi.ConvertType(out[0], new(uint64)).(*uint64)
	return out0, nil
}

// PackVotingPower is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xc07473f6.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function votingPower(address validator) view returns(uint256 power, uint256 total, uint64 version)
func (subnetRegistry *SubnetRegistry) PackVotingPower(validator common.Address) []byte {
	enc, err := subnetRegistry.abi.Pack("votingPower", validator)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackVotingPower is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xc07473f6.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function votingPower(address validator) view returns(uint256 power, uint256 total, uint64 version)
func (subnetRegistry *SubnetRegistry) TryPackVotingPower(validator common.Address) ([]byte, error) {
	return subnetRegistry.abi.Pack("votingPower", validator)
}

// VotingPowerOutput serves as a container for the return parameters of contract
// method VotingPower.
type VotingPowerOutput struct {
	Power   *big.Int
	Total   *big.Int
	Version uint64
}

// UnpackVotingPower is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0xc07473f6.
//
// Solidity: function votingPower(address validator) view returns(uint256 power, uint256 total, uint64 version)
func (subnetRegistry *SubnetRegistry) UnpackVotingPower(data []byte) (VotingPowerOutput, error) {
	out, err := subnetRegistry.abi.Unpack("votingPower", data)
	outstruct := new(VotingPowerOutput)
	if err != nil {
		return *outstruct, err
	}
	outstruct.Power = abi.ConvertType(out[0], new(big.Int)).(*big.Int)
	outstruct.Total = abi.ConvertType(out[1], new(big.Int)).(*big.Int)
	outstruct.Version = *abi.ConvertType(out[2], new(uint64)).(*uint64)
	return *outstruct, nil
}

// PackWithdraw is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x3ccfd60b.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function withdraw() returns()
func (subnetRegistry *SubnetRegistry) PackWithdraw() []byte {
	enc, err := subnetRegistry.abi.Pack("withdraw")
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackWithdraw is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x3ccfd60b.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function withdraw() returns()
func (subnetRegistry *SubnetRegistry) TryPackWithdraw() ([]byte, error) {
	return subnetRegistry.abi.Pack("withdraw")
}

// PackWithdrawable is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xce513b6f.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function withdrawable(address ) view returns(uint256)
func (subnetRegistry *SubnetRegistry) PackWithdrawable(arg0 common.Address) []byte {
	enc, err := subnetRegistry.abi.Pack("withdrawable", arg0)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackWithdrawable is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xce513b6f.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function withdrawable(address ) view returns(uint256)
func (subnetRegistry *SubnetRegistry) TryPackWithdrawable(arg0 common.Address) ([]byte, error) {
	return subnetRegistry.abi.Pack("withdrawable", arg0)
}

// UnpackWithdrawable is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0xce513b6f.
//
// Solidity: function withdrawable(address ) view returns(uint256)
func (subnetRegistry *SubnetRegistry) UnpackWithdrawable(data []byte) (*big.Int, error) {
	out, err := subnetRegistry.abi.Unpack("withdrawable", data)
	if err != nil {
		return new(big.Int), err
	}
	out0 := abi.ConvertType(out[0], new(big.Int)).(*big.Int)
	return out0, nil
}

// SubnetRegistryEmissionNoted represents a EmissionNoted event raised by the SubnetRegistry contract.
type SubnetRegistryEmissionNoted struct {
	Uid    uint16
	Hotkey common.Address
	Epoch  uint64
	Amount *big.Int
	Raw    *types.Log // Blockchain specific contextual infos
}

const SubnetRegistryEmissionNotedEventName = "EmissionNoted"

// ContractEventName returns the user-defined event name.
func (SubnetRegistryEmissionNoted) ContractEventName() string {
	return SubnetRegistryEmissionNotedEventName
}

// UnpackEmissionNotedEvent is the Go binding that unpacks the event data emitted
// by contract.
//
// Solidity: event EmissionNoted(uint16 indexed uid, address indexed hotkey, uint64 epoch, uint256 amount)
func (subnetRegistry *SubnetRegistry) UnpackEmissionNotedEvent(log *types.Log) (*SubnetRegistryEmissionNoted, error) {
	event := "EmissionNoted"
	if len(log.Topics) == 0 {
		return nil, bind.ErrNoEventSignature
	}
	if log.Topics[0] != subnetRegistry.abi.Events[event].ID {
		return nil, bind.ErrEventSignatureMismatch
	}
	out := new(SubnetRegistryEmissionNoted)
	if len(log.Data) > 0 {
		if err := subnetRegistry.abi.UnpackIntoInterface(out, event, log.Data); err != nil {
			return nil, err
		}
	}
	var indexed abi.Arguments
	for _, arg := range subnetRegistry.abi.Events[event].Inputs {
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

// SubnetRegistryLedgerChanged represents a LedgerChanged event raised by the SubnetRegistry contract.
type SubnetRegistryLedgerChanged struct {
	Previous common.Address
	Next     common.Address
	Raw      *types.Log // Blockchain specific contextual infos
}

const SubnetRegistryLedgerChangedEventName = "LedgerChanged"

// ContractEventName returns the user-defined event name.
func (SubnetRegistryLedgerChanged) ContractEventName() string {
	return SubnetRegistryLedgerChangedEventName
}

// UnpackLedgerChangedEvent is the Go binding that unpacks the event data emitted
// by contract.
//
// Solidity: event LedgerChanged(address indexed previous, address indexed next)
func (subnetRegistry *SubnetRegistry) UnpackLedgerChangedEvent(log *types.Log) (*SubnetRegistryLedgerChanged, error) {
	event := "LedgerChanged"
	if len(log.Topics) == 0 {
		return nil, bind.ErrNoEventSignature
	}
	if log.Topics[0] != subnetRegistry.abi.Events[event].ID {
		return nil, bind.ErrEventSignatureMismatch
	}
	out := new(SubnetRegistryLedgerChanged)
	if len(log.Data) > 0 {
		if err := subnetRegistry.abi.UnpackIntoInterface(out, event, log.Data); err != nil {
			return nil, err
		}
	}
	var indexed abi.Arguments
	for _, arg := range subnetRegistry.abi.Events[event].Inputs {
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

// SubnetRegistryOwnerChanged represents a OwnerChanged event raised by the SubnetRegistry contract.
type SubnetRegistryOwnerChanged struct {
	Previous common.Address
	Next     common.Address
	Raw      *types.Log // Blockchain specific contextual infos
}

const SubnetRegistryOwnerChangedEventName = "OwnerChanged"

// ContractEventName returns the user-defined event name.
func (SubnetRegistryOwnerChanged) ContractEventName() string {
	return SubnetRegistryOwnerChangedEventName
}

// UnpackOwnerChangedEvent is the Go binding that unpacks the event data emitted
// by contract.
//
// Solidity: event OwnerChanged(address indexed previous, address indexed next)
func (subnetRegistry *SubnetRegistry) UnpackOwnerChangedEvent(log *types.Log) (*SubnetRegistryOwnerChanged, error) {
	event := "OwnerChanged"
	if len(log.Topics) == 0 {
		return nil, bind.ErrNoEventSignature
	}
	if log.Topics[0] != subnetRegistry.abi.Events[event].ID {
		return nil, bind.ErrEventSignatureMismatch
	}
	out := new(SubnetRegistryOwnerChanged)
	if len(log.Data) > 0 {
		if err := subnetRegistry.abi.UnpackIntoInterface(out, event, log.Data); err != nil {
			return nil, err
		}
	}
	var indexed abi.Arguments
	for _, arg := range subnetRegistry.abi.Events[event].Inputs {
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

// SubnetRegistryParamsChanged represents a ParamsChanged event raised by the SubnetRegistry contract.
type SubnetRegistryParamsChanged struct {
	Params SubnetRegistryParams
	Raw    *types.Log // Blockchain specific contextual infos
}

const SubnetRegistryParamsChangedEventName = "ParamsChanged"

// ContractEventName returns the user-defined event name.
func (SubnetRegistryParamsChanged) ContractEventName() string {
	return SubnetRegistryParamsChangedEventName
}

// UnpackParamsChangedEvent is the Go binding that unpacks the event data emitted
// by contract.
//
// Solidity: event ParamsChanged((uint64,uint16,uint16,uint64,uint256,uint256) params)
func (subnetRegistry *SubnetRegistry) UnpackParamsChangedEvent(log *types.Log) (*SubnetRegistryParamsChanged, error) {
	event := "ParamsChanged"
	if len(log.Topics) == 0 {
		return nil, bind.ErrNoEventSignature
	}
	if log.Topics[0] != subnetRegistry.abi.Events[event].ID {
		return nil, bind.ErrEventSignatureMismatch
	}
	out := new(SubnetRegistryParamsChanged)
	if len(log.Data) > 0 {
		if err := subnetRegistry.abi.UnpackIntoInterface(out, event, log.Data); err != nil {
			return nil, err
		}
	}
	var indexed abi.Arguments
	for _, arg := range subnetRegistry.abi.Events[event].Inputs {
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

// SubnetRegistryPermitChanged represents a PermitChanged event raised by the SubnetRegistry contract.
type SubnetRegistryPermitChanged struct {
	Uid    uint16
	Hotkey common.Address
	Permit bool
	Raw    *types.Log // Blockchain specific contextual infos
}

const SubnetRegistryPermitChangedEventName = "PermitChanged"

// ContractEventName returns the user-defined event name.
func (SubnetRegistryPermitChanged) ContractEventName() string {
	return SubnetRegistryPermitChangedEventName
}

// UnpackPermitChangedEvent is the Go binding that unpacks the event data emitted
// by contract.
//
// Solidity: event PermitChanged(uint16 indexed uid, address indexed hotkey, bool permit)
func (subnetRegistry *SubnetRegistry) UnpackPermitChangedEvent(log *types.Log) (*SubnetRegistryPermitChanged, error) {
	event := "PermitChanged"
	if len(log.Topics) == 0 {
		return nil, bind.ErrNoEventSignature
	}
	if log.Topics[0] != subnetRegistry.abi.Events[event].ID {
		return nil, bind.ErrEventSignatureMismatch
	}
	out := new(SubnetRegistryPermitChanged)
	if len(log.Data) > 0 {
		if err := subnetRegistry.abi.UnpackIntoInterface(out, event, log.Data); err != nil {
			return nil, err
		}
	}
	var indexed abi.Arguments
	for _, arg := range subnetRegistry.abi.Events[event].Inputs {
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

// SubnetRegistryRegistered represents a Registered event raised by the SubnetRegistry contract.
type SubnetRegistryRegistered struct {
	Uid     uint16
	Hotkey  common.Address
	Role    uint8
	Deposit *big.Int
	Raw     *types.Log // Blockchain specific contextual infos
}

const SubnetRegistryRegisteredEventName = "Registered"

// ContractEventName returns the user-defined event name.
func (SubnetRegistryRegistered) ContractEventName() string {
	return SubnetRegistryRegisteredEventName
}

// UnpackRegisteredEvent is the Go binding that unpacks the event data emitted
// by contract.
//
// Solidity: event Registered(uint16 indexed uid, address indexed hotkey, uint8 role, uint256 deposit)
func (subnetRegistry *SubnetRegistry) UnpackRegisteredEvent(log *types.Log) (*SubnetRegistryRegistered, error) {
	event := "Registered"
	if len(log.Topics) == 0 {
		return nil, bind.ErrNoEventSignature
	}
	if log.Topics[0] != subnetRegistry.abi.Events[event].ID {
		return nil, bind.ErrEventSignatureMismatch
	}
	out := new(SubnetRegistryRegistered)
	if len(log.Data) > 0 {
		if err := subnetRegistry.abi.UnpackIntoInterface(out, event, log.Data); err != nil {
			return nil, err
		}
	}
	var indexed abi.Arguments
	for _, arg := range subnetRegistry.abi.Events[event].Inputs {
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

// SubnetRegistryReplaced represents a Replaced event raised by the SubnetRegistry contract.
type SubnetRegistryReplaced struct {
	Uid       uint16
	OldHotkey common.Address
	NewHotkey common.Address
	Raw       *types.Log // Blockchain specific contextual infos
}

const SubnetRegistryReplacedEventName = "Replaced"

// ContractEventName returns the user-defined event name.
func (SubnetRegistryReplaced) ContractEventName() string {
	return SubnetRegistryReplacedEventName
}

// UnpackReplacedEvent is the Go binding that unpacks the event data emitted
// by contract.
//
// Solidity: event Replaced(uint16 indexed uid, address indexed oldHotkey, address indexed newHotkey)
func (subnetRegistry *SubnetRegistry) UnpackReplacedEvent(log *types.Log) (*SubnetRegistryReplaced, error) {
	event := "Replaced"
	if len(log.Topics) == 0 {
		return nil, bind.ErrNoEventSignature
	}
	if log.Topics[0] != subnetRegistry.abi.Events[event].ID {
		return nil, bind.ErrEventSignatureMismatch
	}
	out := new(SubnetRegistryReplaced)
	if len(log.Data) > 0 {
		if err := subnetRegistry.abi.UnpackIntoInterface(out, event, log.Data); err != nil {
			return nil, err
		}
	}
	var indexed abi.Arguments
	for _, arg := range subnetRegistry.abi.Events[event].Inputs {
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

// SubnetRegistryStaked represents a Staked event raised by the SubnetRegistry contract.
type SubnetRegistryStaked struct {
	Uid    uint16
	Hotkey common.Address
	Amount *big.Int
	Stake  *big.Int
	Raw    *types.Log // Blockchain specific contextual infos
}

const SubnetRegistryStakedEventName = "Staked"

// ContractEventName returns the user-defined event name.
func (SubnetRegistryStaked) ContractEventName() string {
	return SubnetRegistryStakedEventName
}

// UnpackStakedEvent is the Go binding that unpacks the event data emitted
// by contract.
//
// Solidity: event Staked(uint16 indexed uid, address indexed hotkey, uint256 amount, uint256 stake)
func (subnetRegistry *SubnetRegistry) UnpackStakedEvent(log *types.Log) (*SubnetRegistryStaked, error) {
	event := "Staked"
	if len(log.Topics) == 0 {
		return nil, bind.ErrNoEventSignature
	}
	if log.Topics[0] != subnetRegistry.abi.Events[event].ID {
		return nil, bind.ErrEventSignatureMismatch
	}
	out := new(SubnetRegistryStaked)
	if len(log.Data) > 0 {
		if err := subnetRegistry.abi.UnpackIntoInterface(out, event, log.Data); err != nil {
			return nil, err
		}
	}
	var indexed abi.Arguments
	for _, arg := range subnetRegistry.abi.Events[event].Inputs {
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

// SubnetRegistryUnstaked represents a Unstaked event raised by the SubnetRegistry contract.
type SubnetRegistryUnstaked struct {
	Uid    uint16
	Hotkey common.Address
	Amount *big.Int
	Stake  *big.Int
	Raw    *types.Log // Blockchain specific contextual infos
}

const SubnetRegistryUnstakedEventName = "Unstaked"

// ContractEventName returns the user-defined event name.
func (SubnetRegistryUnstaked) ContractEventName() string {
	return SubnetRegistryUnstakedEventName
}

// UnpackUnstakedEvent is the Go binding that unpacks the event data emitted
// by contract.
//
// Solidity: event Unstaked(uint16 indexed uid, address indexed hotkey, uint256 amount, uint256 stake)
func (subnetRegistry *SubnetRegistry) UnpackUnstakedEvent(log *types.Log) (*SubnetRegistryUnstaked, error) {
	event := "Unstaked"
	if len(log.Topics) == 0 {
		return nil, bind.ErrNoEventSignature
	}
	if log.Topics[0] != subnetRegistry.abi.Events[event].ID {
		return nil, bind.ErrEventSignatureMismatch
	}
	out := new(SubnetRegistryUnstaked)
	if len(log.Data) > 0 {
		if err := subnetRegistry.abi.UnpackIntoInterface(out, event, log.Data); err != nil {
			return nil, err
		}
	}
	var indexed abi.Arguments
	for _, arg := range subnetRegistry.abi.Events[event].Inputs {
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

// SubnetRegistryValidatorSetChanged represents a ValidatorSetChanged event raised by the SubnetRegistry contract.
type SubnetRegistryValidatorSetChanged struct {
	Version        uint64
	PermittedStake *big.Int
	Raw            *types.Log // Blockchain specific contextual infos
}

const SubnetRegistryValidatorSetChangedEventName = "ValidatorSetChanged"

// ContractEventName returns the user-defined event name.
func (SubnetRegistryValidatorSetChanged) ContractEventName() string {
	return SubnetRegistryValidatorSetChangedEventName
}

// UnpackValidatorSetChangedEvent is the Go binding that unpacks the event data emitted
// by contract.
//
// Solidity: event ValidatorSetChanged(uint64 version, uint256 permittedStake)
func (subnetRegistry *SubnetRegistry) UnpackValidatorSetChangedEvent(log *types.Log) (*SubnetRegistryValidatorSetChanged, error) {
	event := "ValidatorSetChanged"
	if len(log.Topics) == 0 {
		return nil, bind.ErrNoEventSignature
	}
	if log.Topics[0] != subnetRegistry.abi.Events[event].ID {
		return nil, bind.ErrEventSignatureMismatch
	}
	out := new(SubnetRegistryValidatorSetChanged)
	if len(log.Data) > 0 {
		if err := subnetRegistry.abi.UnpackIntoInterface(out, event, log.Data); err != nil {
			return nil, err
		}
	}
	var indexed abi.Arguments
	for _, arg := range subnetRegistry.abi.Events[event].Inputs {
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

// SubnetRegistryWithdrawn represents a Withdrawn event raised by the SubnetRegistry contract.
type SubnetRegistryWithdrawn struct {
	Account common.Address
	Amount  *big.Int
	Raw     *types.Log // Blockchain specific contextual infos
}

const SubnetRegistryWithdrawnEventName = "Withdrawn"

// ContractEventName returns the user-defined event name.
func (SubnetRegistryWithdrawn) ContractEventName() string {
	return SubnetRegistryWithdrawnEventName
}

// UnpackWithdrawnEvent is the Go binding that unpacks the event data emitted
// by contract.
//
// Solidity: event Withdrawn(address indexed account, uint256 amount)
func (subnetRegistry *SubnetRegistry) UnpackWithdrawnEvent(log *types.Log) (*SubnetRegistryWithdrawn, error) {
	event := "Withdrawn"
	if len(log.Topics) == 0 {
		return nil, bind.ErrNoEventSignature
	}
	if log.Topics[0] != subnetRegistry.abi.Events[event].ID {
		return nil, bind.ErrEventSignatureMismatch
	}
	out := new(SubnetRegistryWithdrawn)
	if len(log.Data) > 0 {
		if err := subnetRegistry.abi.UnpackIntoInterface(out, event, log.Data); err != nil {
			return nil, err
		}
	}
	var indexed abi.Arguments
	for _, arg := range subnetRegistry.abi.Events[event].Inputs {
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
func (subnetRegistry *SubnetRegistry) UnpackError(raw []byte) (any, error) {
	if bytes.Equal(raw[:4], subnetRegistry.abi.Errors["AlreadyRegistered"].ID.Bytes()[:4]) {
		return subnetRegistry.UnpackAlreadyRegisteredError(raw[4:])
	}
	if bytes.Equal(raw[:4], subnetRegistry.abi.Errors["InsufficientStake"].ID.Bytes()[:4]) {
		return subnetRegistry.UnpackInsufficientStakeError(raw[4:])
	}
	if bytes.Equal(raw[:4], subnetRegistry.abi.Errors["InvalidParams"].ID.Bytes()[:4]) {
		return subnetRegistry.UnpackInvalidParamsError(raw[4:])
	}
	if bytes.Equal(raw[:4], subnetRegistry.abi.Errors["InvalidRole"].ID.Bytes()[:4]) {
		return subnetRegistry.UnpackInvalidRoleError(raw[4:])
	}
	if bytes.Equal(raw[:4], subnetRegistry.abi.Errors["NoPrunableUid"].ID.Bytes()[:4]) {
		return subnetRegistry.UnpackNoPrunableUidError(raw[4:])
	}
	if bytes.Equal(raw[:4], subnetRegistry.abi.Errors["NotLedger"].ID.Bytes()[:4]) {
		return subnetRegistry.UnpackNotLedgerError(raw[4:])
	}
	if bytes.Equal(raw[:4], subnetRegistry.abi.Errors["NotOwner"].ID.Bytes()[:4]) {
		return subnetRegistry.UnpackNotOwnerError(raw[4:])
	}
	if bytes.Equal(raw[:4], subnetRegistry.abi.Errors["NotRegistered"].ID.Bytes()[:4]) {
		return subnetRegistry.UnpackNotRegisteredError(raw[4:])
	}
	if bytes.Equal(raw[:4], subnetRegistry.abi.Errors["NotValidator"].ID.Bytes()[:4]) {
		return subnetRegistry.UnpackNotValidatorError(raw[4:])
	}
	if bytes.Equal(raw[:4], subnetRegistry.abi.Errors["TransferFailed"].ID.Bytes()[:4]) {
		return subnetRegistry.UnpackTransferFailedError(raw[4:])
	}
	if bytes.Equal(raw[:4], subnetRegistry.abi.Errors["WrongDeposit"].ID.Bytes()[:4]) {
		return subnetRegistry.UnpackWrongDepositError(raw[4:])
	}
	if bytes.Equal(raw[:4], subnetRegistry.abi.Errors["ZeroAmount"].ID.Bytes()[:4]) {
		return subnetRegistry.UnpackZeroAmountError(raw[4:])
	}
	return nil, errors.New("Unknown error")
}

// SubnetRegistryAlreadyRegistered represents a AlreadyRegistered error raised by the SubnetRegistry contract.
type SubnetRegistryAlreadyRegistered struct {
	Hotkey common.Address
	Uid    uint16
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error AlreadyRegistered(address hotkey, uint16 uid)
func SubnetRegistryAlreadyRegisteredErrorID() common.Hash {
	return common.HexToHash("0xdac10cd1b58e04bb7ad5d338d8a7f0f4fb7e777f09a103e131f824026fe56a23")
}

// UnpackAlreadyRegisteredError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error AlreadyRegistered(address hotkey, uint16 uid)
func (subnetRegistry *SubnetRegistry) UnpackAlreadyRegisteredError(raw []byte) (*SubnetRegistryAlreadyRegistered, error) {
	out := new(SubnetRegistryAlreadyRegistered)
	if err := subnetRegistry.abi.UnpackIntoInterface(out, "AlreadyRegistered", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// SubnetRegistryInsufficientStake represents a InsufficientStake error raised by the SubnetRegistry contract.
type SubnetRegistryInsufficientStake struct {
	Have *big.Int
	Want *big.Int
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error InsufficientStake(uint256 have, uint256 want)
func SubnetRegistryInsufficientStakeErrorID() common.Hash {
	return common.HexToHash("0x45be0a261a88f9fedc41221879f08865d5e8d6053c877967e6e8e39e5697e6d5")
}

// UnpackInsufficientStakeError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error InsufficientStake(uint256 have, uint256 want)
func (subnetRegistry *SubnetRegistry) UnpackInsufficientStakeError(raw []byte) (*SubnetRegistryInsufficientStake, error) {
	out := new(SubnetRegistryInsufficientStake)
	if err := subnetRegistry.abi.UnpackIntoInterface(out, "InsufficientStake", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// SubnetRegistryInvalidParams represents a InvalidParams error raised by the SubnetRegistry contract.
type SubnetRegistryInvalidParams struct {
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error InvalidParams()
func SubnetRegistryInvalidParamsErrorID() common.Hash {
	return common.HexToHash("0xa86b65120b98ec2b50fcad62782dbb454a5c0604e0cf2db01fd94e5048d895b9")
}

// UnpackInvalidParamsError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error InvalidParams()
func (subnetRegistry *SubnetRegistry) UnpackInvalidParamsError(raw []byte) (*SubnetRegistryInvalidParams, error) {
	out := new(SubnetRegistryInvalidParams)
	if err := subnetRegistry.abi.UnpackIntoInterface(out, "InvalidParams", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// SubnetRegistryInvalidRole represents a InvalidRole error raised by the SubnetRegistry contract.
type SubnetRegistryInvalidRole struct {
	Role uint8
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error InvalidRole(uint8 role)
func SubnetRegistryInvalidRoleErrorID() common.Hash {
	return common.HexToHash("0xf17864de239d89047e4665b7271d244db7454a63ddcba0725b6ea03427f08765")
}

// UnpackInvalidRoleError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error InvalidRole(uint8 role)
func (subnetRegistry *SubnetRegistry) UnpackInvalidRoleError(raw []byte) (*SubnetRegistryInvalidRole, error) {
	out := new(SubnetRegistryInvalidRole)
	if err := subnetRegistry.abi.UnpackIntoInterface(out, "InvalidRole", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// SubnetRegistryNoPrunableUid represents a NoPrunableUid error raised by the SubnetRegistry contract.
type SubnetRegistryNoPrunableUid struct {
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error NoPrunableUid()
func SubnetRegistryNoPrunableUidErrorID() common.Hash {
	return common.HexToHash("0xf91ce330012fa5625205651ba8feb98058ed977f717c6a977f516847a4d2a321")
}

// UnpackNoPrunableUidError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error NoPrunableUid()
func (subnetRegistry *SubnetRegistry) UnpackNoPrunableUidError(raw []byte) (*SubnetRegistryNoPrunableUid, error) {
	out := new(SubnetRegistryNoPrunableUid)
	if err := subnetRegistry.abi.UnpackIntoInterface(out, "NoPrunableUid", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// SubnetRegistryNotLedger represents a NotLedger error raised by the SubnetRegistry contract.
type SubnetRegistryNotLedger struct {
	Caller common.Address
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error NotLedger(address caller)
func SubnetRegistryNotLedgerErrorID() common.Hash {
	return common.HexToHash("0x2e837ee88d330a7637303a1e28c317655020e5f5463d4aaf56f387eb6e73b99a")
}

// UnpackNotLedgerError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error NotLedger(address caller)
func (subnetRegistry *SubnetRegistry) UnpackNotLedgerError(raw []byte) (*SubnetRegistryNotLedger, error) {
	out := new(SubnetRegistryNotLedger)
	if err := subnetRegistry.abi.UnpackIntoInterface(out, "NotLedger", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// SubnetRegistryNotOwner represents a NotOwner error raised by the SubnetRegistry contract.
type SubnetRegistryNotOwner struct {
	Caller common.Address
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error NotOwner(address caller)
func SubnetRegistryNotOwnerErrorID() common.Hash {
	return common.HexToHash("0x245aecd3fabbd17d6c3c92dc7f0ab916ea8cbf6fc1862c8b56893090ac3fff4c")
}

// UnpackNotOwnerError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error NotOwner(address caller)
func (subnetRegistry *SubnetRegistry) UnpackNotOwnerError(raw []byte) (*SubnetRegistryNotOwner, error) {
	out := new(SubnetRegistryNotOwner)
	if err := subnetRegistry.abi.UnpackIntoInterface(out, "NotOwner", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// SubnetRegistryNotRegistered represents a NotRegistered error raised by the SubnetRegistry contract.
type SubnetRegistryNotRegistered struct {
	Hotkey common.Address
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error NotRegistered(address hotkey)
func SubnetRegistryNotRegisteredErrorID() common.Hash {
	return common.HexToHash("0xbfc6c337a80b7b8201f77f0a2a54c6e5f7c6fd9124a749804a482fa16ee8a895")
}

// UnpackNotRegisteredError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error NotRegistered(address hotkey)
func (subnetRegistry *SubnetRegistry) UnpackNotRegisteredError(raw []byte) (*SubnetRegistryNotRegistered, error) {
	out := new(SubnetRegistryNotRegistered)
	if err := subnetRegistry.abi.UnpackIntoInterface(out, "NotRegistered", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// SubnetRegistryNotValidator represents a NotValidator error raised by the SubnetRegistry contract.
type SubnetRegistryNotValidator struct {
	Hotkey common.Address
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error NotValidator(address hotkey)
func SubnetRegistryNotValidatorErrorID() common.Hash {
	return common.HexToHash("0xed3db8ac0aff2f11d9c21259b57051cec9967e78c0d61c8321b092e63647d624")
}

// UnpackNotValidatorError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error NotValidator(address hotkey)
func (subnetRegistry *SubnetRegistry) UnpackNotValidatorError(raw []byte) (*SubnetRegistryNotValidator, error) {
	out := new(SubnetRegistryNotValidator)
	if err := subnetRegistry.abi.UnpackIntoInterface(out, "NotValidator", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// SubnetRegistryTransferFailed represents a TransferFailed error raised by the SubnetRegistry contract.
type SubnetRegistryTransferFailed struct {
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error TransferFailed()
func SubnetRegistryTransferFailedErrorID() common.Hash {
	return common.HexToHash("0x90b8ec1877afffd816d05d9b13947f3ff18ec5851c38bad15ec2b710f92391b1")
}

// UnpackTransferFailedError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error TransferFailed()
func (subnetRegistry *SubnetRegistry) UnpackTransferFailedError(raw []byte) (*SubnetRegistryTransferFailed, error) {
	out := new(SubnetRegistryTransferFailed)
	if err := subnetRegistry.abi.UnpackIntoInterface(out, "TransferFailed", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// SubnetRegistryWrongDeposit represents a WrongDeposit error raised by the SubnetRegistry contract.
type SubnetRegistryWrongDeposit struct {
	Sent *big.Int
	Want *big.Int
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error WrongDeposit(uint256 sent, uint256 want)
func SubnetRegistryWrongDepositErrorID() common.Hash {
	return common.HexToHash("0x05897f09b8c21bfa396dbde2172f974d77001e2cae820952990e6849b7a32218")
}

// UnpackWrongDepositError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error WrongDeposit(uint256 sent, uint256 want)
func (subnetRegistry *SubnetRegistry) UnpackWrongDepositError(raw []byte) (*SubnetRegistryWrongDeposit, error) {
	out := new(SubnetRegistryWrongDeposit)
	if err := subnetRegistry.abi.UnpackIntoInterface(out, "WrongDeposit", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// SubnetRegistryZeroAmount represents a ZeroAmount error raised by the SubnetRegistry contract.
type SubnetRegistryZeroAmount struct {
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error ZeroAmount()
func SubnetRegistryZeroAmountErrorID() common.Hash {
	return common.HexToHash("0x1f2a2005cb66a8e145327e8814e243a0996aec9bfe1e15a495778b1236dbd485")
}

// UnpackZeroAmountError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error ZeroAmount()
func (subnetRegistry *SubnetRegistry) UnpackZeroAmountError(raw []byte) (*SubnetRegistryZeroAmount, error) {
	out := new(SubnetRegistryZeroAmount)
	if err := subnetRegistry.abi.UnpackIntoInterface(out, "ZeroAmount", raw); err != nil {
		return nil, err
	}
	return out, nil
}
