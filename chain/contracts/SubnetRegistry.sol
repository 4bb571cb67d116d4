// SPDX-License-Identifier: MIT
pragma solidity 0.8.37;

/// @title SubnetRegistry: the hotkeys, uids, stake and validator permits of one Ganglion subnet.
/// @notice One instance per netuid. A hotkey registers as a miner or a validator by paying the registration
/// deposit (burned: it stays in this contract) and gets a uid. When every uid is taken, a new registration replaces
/// the uid with the lowest pruning score (the amount of its latest claimed emission) among the uids past their
/// immunity period that hold no validator permit, ties going to the lowest uid. Validators stake native coin; the
/// validators with at least minStake and the largest stake (top maxValidators, ties to the lower uid) hold validator
/// permits. Every change of a permitted validator's stake or of the permit set bumps validatorSetVersion, so a vote
/// counted by the EmissionsLedger is tied to one stake snapshot.
contract SubnetRegistry {
    uint8 public constant ROLE_MINER = 1;
    uint8 public constant ROLE_VALIDATOR = 2;

    struct Params {
        uint64 epochLength; // blocks per epoch
        uint16 maxUids; // uid slots
        uint16 maxValidators; // validator permits (top-k by stake)
        uint64 immunityPeriod; // blocks a new uid cannot be replaced
        uint256 minStake; // stake needed for a permit
        uint256 deposit; // registration deposit (burned)
    }

    struct Neuron {
        uint16 uid;
        address hotkey;
        uint8 role;
        bool validatorPermit;
        uint64 registeredAt; // block number
        uint64 emissionEpoch; // epoch of the latest claimed emission
        uint256 stake;
        uint256 emission; // latest claimed emission (pruning score)
    }

    struct Slot {
        address hotkey;
        uint8 role;
        bool permit;
        uint64 registeredAt;
        uint64 emissionEpoch;
        uint256 stake;
        uint256 emission;
    }

    uint16 public immutable netuid;
    address public owner;
    address public ledger;
    Params internal params_;
    // One storage slot: the ledger reads both for every vote.
    uint128 public permittedStake; // sum of the stake of permitted validators
    uint64 public validatorSetVersion;
    uint256 public burned; // deposits received

    Slot[] internal slots; // index = uid
    mapping(address => uint256) internal uidPlusOne;
    mapping(address => uint256) public withdrawable; // stake of replaced validators

    event Registered(uint16 indexed uid, address indexed hotkey, uint8 role, uint256 deposit);
    event Replaced(uint16 indexed uid, address indexed oldHotkey, address indexed newHotkey);
    event Staked(uint16 indexed uid, address indexed hotkey, uint256 amount, uint256 stake);
    event Unstaked(uint16 indexed uid, address indexed hotkey, uint256 amount, uint256 stake);
    event Withdrawn(address indexed account, uint256 amount);
    event PermitChanged(uint16 indexed uid, address indexed hotkey, bool permit);
    event ValidatorSetChanged(uint64 version, uint256 permittedStake);
    event ParamsChanged(Params params);
    event OwnerChanged(address indexed previous, address indexed next);
    event LedgerChanged(address indexed previous, address indexed next);
    event EmissionNoted(uint16 indexed uid, address indexed hotkey, uint64 epoch, uint256 amount);

    error NotOwner(address caller);
    error NotLedger(address caller);
    error AlreadyRegistered(address hotkey, uint16 uid);
    error NotRegistered(address hotkey);
    error InvalidRole(uint8 role);
    error WrongDeposit(uint256 sent, uint256 want);
    error NoPrunableUid();
    error NotValidator(address hotkey);
    error InsufficientStake(uint256 have, uint256 want);
    error ZeroAmount();
    error InvalidParams();
    error TransferFailed();

    modifier onlyOwner() {
        if (msg.sender != owner) revert NotOwner(msg.sender);
        _;
    }

    constructor(uint16 netuid_, Params memory p) {
        _checkParams(p, 0);
        netuid = netuid_;
        owner = msg.sender;
        params_ = p;
        emit OwnerChanged(address(0), msg.sender);
        emit ParamsChanged(p);
    }

    // ---- owner ----

    function setParams(Params calldata p) external onlyOwner {
        _checkParams(p, slots.length);
        params_ = p;
        emit ParamsChanged(p);
        _updatePermits(true);
    }

    function setOwner(address next) external onlyOwner {
        if (next == address(0)) revert InvalidParams();
        emit OwnerChanged(owner, next);
        owner = next;
    }

    function setLedger(address next) external onlyOwner {
        emit LedgerChanged(ledger, next);
        ledger = next;
    }

    // ---- hotkeys ----

    /// @notice Registers msg.sender as a miner (role 1) or validator (role 2); msg.value must equal the deposit.
    function register(uint8 role) external payable returns (uint16 uid) {
        if (role != ROLE_MINER && role != ROLE_VALIDATOR) revert InvalidRole(role);
        uint256 have = uidPlusOne[msg.sender];
        if (have != 0) revert AlreadyRegistered(msg.sender, uint16(have - 1));
        Params memory p = params_;
        if (msg.value != p.deposit) revert WrongDeposit(msg.value, p.deposit);
        burned += msg.value;
        Slot memory fresh = Slot(msg.sender, role, false, uint64(block.number), 0, 0, 0);
        if (slots.length < p.maxUids) {
            uid = uint16(slots.length);
            slots.push(fresh);
        } else {
            uid = _pruneCandidate(p.immunityPeriod);
            Slot storage old = slots[uid];
            address oldHotkey = old.hotkey;
            delete uidPlusOne[oldHotkey];
            if (old.stake != 0) withdrawable[oldHotkey] += old.stake;
            slots[uid] = fresh;
            emit Replaced(uid, oldHotkey, msg.sender);
        }
        uidPlusOne[msg.sender] = uint256(uid) + 1;
        emit Registered(uid, msg.sender, role, msg.value);
        // A replaced uid may have been a validator (only an unpermitted one: permitted uids are never pruned),
        // and a new validator may take a free permit only after staking, so permits change only on stake.
    }

    /// @notice Adds msg.value to the caller's validator stake.
    function stake() external payable {
        if (msg.value == 0) revert ZeroAmount();
        uint16 uid = _uidOf(msg.sender);
        Slot storage s = slots[uid];
        if (s.role != ROLE_VALIDATOR) revert NotValidator(msg.sender);
        s.stake += msg.value;
        emit Staked(uid, msg.sender, msg.value, s.stake);
        _updatePermits(s.permit);
    }

    /// @notice Returns amount of the caller's stake to the caller.
    function unstake(uint256 amount) external {
        if (amount == 0) revert ZeroAmount();
        uint16 uid = _uidOf(msg.sender);
        Slot storage s = slots[uid];
        if (s.stake < amount) revert InsufficientStake(s.stake, amount);
        s.stake -= amount;
        emit Unstaked(uid, msg.sender, amount, s.stake);
        _updatePermits(s.permit);
        _pay(msg.sender, amount);
    }

    /// @notice Pays out the stake a replaced validator left behind.
    function withdraw() external {
        uint256 amount = withdrawable[msg.sender];
        if (amount == 0) revert ZeroAmount();
        withdrawable[msg.sender] = 0;
        emit Withdrawn(msg.sender, amount);
        _pay(msg.sender, amount);
    }

    /// @notice Records a claimed emission as the uid's pruning score. Only the ledger calls this; it ignores
    /// claims for a hotkey that no longer holds the uid and claims older than the latest noted one.
    function noteEmission(uint16 uid, address account, uint64 epoch, uint256 amount) external {
        if (msg.sender != ledger) revert NotLedger(msg.sender);
        if (uid >= slots.length) return;
        Slot storage s = slots[uid];
        if (s.hotkey != account || epoch < s.emissionEpoch) return;
        s.emissionEpoch = epoch;
        s.emission = amount;
        emit EmissionNoted(uid, account, epoch, amount);
    }

    // ---- views ----

    function getParams() external view returns (Params memory) {
        return params_;
    }

    function uidCount() external view returns (uint16) {
        return uint16(slots.length);
    }

    /// @notice The uid of a hotkey; ok is false if it is not registered.
    function uidOf(address hotkey) external view returns (uint16 uid, bool ok) {
        uint256 u = uidPlusOne[hotkey];
        if (u == 0) return (0, false);
        return (uint16(u - 1), true);
    }

    function neuron(uint16 uid) public view returns (Neuron memory n) {
        Slot storage s = slots[uid];
        n = Neuron(uid, s.hotkey, s.role, s.permit, s.registeredAt, s.emissionEpoch, s.stake, s.emission);
    }

    /// @notice What the ledger needs to count a vote: the validator's permitted stake (0 without a permit), the
    /// total permitted stake and the validator-set version they belong to.
    function votingPower(address validator) external view returns (uint256 power, uint256 total, uint64 version) {
        uint256 u = uidPlusOne[validator];
        if (u != 0) {
            Slot storage s = slots[u - 1];
            if (s.permit) power = s.stake;
        }
        return (power, permittedStake, validatorSetVersion);
    }

    /// @notice The whole metagraph in one call.
    function metagraph()
        external
        view
        returns (Params memory p, uint64 version, uint256 totalPermitted, uint64 blockNumber, Neuron[] memory ns)
    {
        ns = new Neuron[](slots.length);
        for (uint256 i = 0; i < slots.length; i++) {
            ns[i] = neuron(uint16(i));
        }
        return (params_, validatorSetVersion, permittedStake, uint64(block.number), ns);
    }

    // ---- internals ----

    function _uidOf(address hotkey) internal view returns (uint16) {
        uint256 u = uidPlusOne[hotkey];
        if (u == 0) revert NotRegistered(hotkey);
        return uint16(u - 1);
    }

    function _checkParams(Params memory p, uint256 used) internal pure {
        if (p.maxUids == 0 || p.maxUids < used || p.maxValidators == 0 || p.epochLength == 0 || p.minStake == 0) {
            revert InvalidParams();
        }
    }

    function _pruneCandidate(uint64 immunity) internal view returns (uint16 best) {
        bool found;
        uint256 bestScore;
        uint256 n = slots.length;
        for (uint256 i = 0; i < n; i++) {
            Slot storage s = slots[i];
            if (s.permit || uint256(s.registeredAt) + immunity > block.number) continue;
            if (!found || s.emission < bestScore) {
                found = true;
                best = uint16(i);
                bestScore = s.emission;
            }
        }
        if (!found) revert NoPrunableUid();
    }

    /// @dev Recomputes the permit set: validators with stake >= minStake, top maxValidators by stake, ties to the
    /// lower uid. O(validators · maxValidators) in memory plus two storage reads per uid. The version is bumped when
    /// the stake of a member changed (force) or the set itself changed.
    function _updatePermits(bool force) internal {
        Params memory p = params_;
        uint256 n = slots.length;
        uint16[] memory top = new uint16[](p.maxValidators);
        uint256[] memory topStake = new uint256[](p.maxValidators);
        uint256 k;
        for (uint256 i = 0; i < n; i++) {
            Slot storage s = slots[i];
            if (s.role != ROLE_VALIDATOR) continue;
            uint256 st = s.stake;
            if (st < p.minStake) continue;
            // Insertion into the sorted (descending) top list; equal stakes keep uid order.
            uint256 pos = k;
            while (pos > 0 && topStake[pos - 1] < st) pos--;
            if (pos >= p.maxValidators) continue;
            uint256 last = k < p.maxValidators ? k : p.maxValidators - 1;
            for (uint256 j = last; j > pos; j--) {
                top[j] = top[j - 1];
                topStake[j] = topStake[j - 1];
            }
            top[pos] = uint16(i);
            topStake[pos] = st;
            if (k < p.maxValidators) k++;
        }
        bool[] memory isTop = new bool[](n);
        for (uint256 j = 0; j < k; j++) {
            isTop[top[j]] = true;
        }
        bool changed = force;
        uint256 total;
        for (uint256 i = 0; i < n; i++) {
            Slot storage s = slots[i];
            bool want = isTop[i];
            if (want) total += s.stake;
            if (s.permit != want) {
                s.permit = want;
                changed = true;
                emit PermitChanged(uint16(i), s.hotkey, want);
            }
        }
        if (changed || total != permittedStake) {
            if (total > type(uint128).max) revert InvalidParams();
            permittedStake = uint128(total);
            validatorSetVersion++;
            emit ValidatorSetChanged(validatorSetVersion, total);
        }
    }

    function _pay(address to, uint256 amount) internal {
        (bool ok,) = payable(to).call{value: amount}("");
        if (!ok) revert TransferFailed();
    }
}
