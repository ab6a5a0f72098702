public import TraderEngine

extension BacktestService {
    /// Runs several backtests (one per symbol, typically) in parallel and returns their results
    /// in the order of `requests` (each through the cache when the service has one).
    ///
    /// At most `jobs` run at once; each loads its own bars inside its task, so a batch of many
    /// symbols holds only `jobs` series in memory at a time. Results stream back as they finish
    /// (`progress` gets the count done) and are put back in request order. The first failure —
    /// a missing symbol, a malformed file — cancels the rest and is thrown: a batch reports
    /// all of its rows or none.
    public func runBatch(
        _ requests: [BacktestRequest], jobs: Int, progress: (@Sendable (Int, Int) -> Void)? = nil
    ) async throws(AppError) -> [BacktestResult] {
        let total = requests.count
        let workers = max(1, min(jobs, total))
        let outcome = await withTaskGroup(of: (Int, Result<BacktestResult, AppError>).self) { group in
            var next = 0
            func addNext() {
                guard next < total else { return }
                let index = next, request = requests[index]
                next += 1
                group.addTask { (index, await self.outcome(of: request)) }
            }
            for _ in 0..<workers { addNext() }
            var results = [BacktestResult?](repeating: nil, count: total)
            var done = 0
            while let (index, result) = await group.next() {
                switch result {
                case let .success(r):
                    results[index] = r
                    done += 1
                    progress?(done, total)
                    addNext()
                case let .failure(e):
                    group.cancelAll()
                    return Result<[BacktestResult], AppError>.failure(e)
                }
            }
            return .success(results.map { $0! })
        }
        return try outcome.get()
    }

    /// The result of `request` or its error, as a value: a task group's child returns it, so the
    /// typed error never crosses the closure (a typed `do throws` inside the child task's closure
    /// crashed release builds of Swift 6.3 at the parent's `results[index] = r`).
    func outcome(of request: BacktestRequest) async -> Result<BacktestResult, AppError> {
        do throws(AppError) { return .success(try await result(for: request)) } catch { return .failure(error) }
    }
}
