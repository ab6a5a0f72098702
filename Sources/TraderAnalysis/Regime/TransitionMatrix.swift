/// Counts of moves between states from one bar to the next, and the row-normalized
/// probabilities, the empirical Markov chain of a state sequence: how sticky each regime is
/// (the diagonal) and where it goes when it ends (the rest of its row).
///
/// Rows are "from", columns "to"; staying in a state counts on the diagonal. States are
/// integers in `0..<size` (a regime's `ordinal`, an HMM state).
public struct TransitionMatrix: Sendable, Hashable {
    /// Number of states (rows and columns).
    public let size: Int
    /// Row-major counts: `counts[from * size + to]`.
    public private(set) var counts: [Int]

    /// An empty matrix over `size` states.
    public init(size: Int) {
        precondition(size > 0, "a transition matrix needs at least one state")
        self.size = size
        counts = [Int](repeating: 0, count: size * size)
    }

    /// Counts the pairs of consecutive defined states in `sequence`; a nil (no state at that
    /// bar) breaks the chain, so no transition is counted across it.
    public init(sequence: [Int?], size: Int) {
        self.init(size: size)
        var previous: Int? = nil
        for state in sequence {
            if let p = previous, let s = state { record(from: p, to: s) }
            previous = state
        }
    }

    /// Records one move.
    public mutating func record(from: Int, to: Int) {
        counts[from * size + to] += 1
    }

    /// Moves counted from `from` to `to`.
    public func count(from: Int, to: Int) -> Int { counts[from * size + to] }

    /// Moves counted out of `from` (including staying).
    public func rowTotal(_ from: Int) -> Int {
        var total = 0
        for to in 0..<size { total += counts[from * size + to] }
        return total
    }

    /// All moves counted.
    public var total: Int { counts.reduce(0, +) }

    /// The estimated probability of moving from `from` to `to`: its count over the row's total;
    /// NaN when the state was never left or stayed in (an empty row has no estimate).
    public func probability(from: Int, to: Int) -> Double {
        let row = rowTotal(from)
        return row == 0 ? .nan : Double(count(from: from, to: to)) / Double(row)
    }

    /// The counts as rows.
    public var countRows: [[Int]] { (0..<size).map { Array(counts[($0 * size)..<($0 * size + size)]) } }

    /// The probabilities as rows (NaN rows for states never seen before another bar).
    public var probabilityRows: [[Double]] {
        (0..<size).map { from in (0..<size).map { probability(from: from, to: $0) } }
    }
}
