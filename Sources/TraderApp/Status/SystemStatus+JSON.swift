public import TraderCore

extension SystemStatus {
    /// The status as JSON: what `status --output json` prints and what a server's
    /// `GET /api/v1/status` serves (`StatusClient` reads it back); `version` is the program's.
    public func document(version: String) -> JSONValue {
        func service(_ x: ServiceStatus) -> JSONValue {
            .object([("configured", .bool(x.target != nil)), ("target", x.target.map(JSONValue.string) ?? .null),
                     ("reachable", x.reachable.map(JSONValue.bool) ?? .null), ("detail", x.detail.map(JSONValue.string) ?? .null)])
        }
        return .object([
            ("version", .string(version)),
            ("data", .object([("search_paths", .array(data.searchPaths.map(JSONValue.string))),
                              ("store_directory", .string(data.storeDirectory)),
                              ("stored_symbols", .array(data.storedSymbols.map(JSONValue.string))),
                              ("csv_symbols", .array(data.csvSymbols.map(JSONValue.string)))])),
            ("cache", service(cache)),
            ("database", service(database)),
            ("schema_version", schemaVersion.map(JSONValue.integer) ?? .null),
            ("pending_migrations", pendingMigrations.map(JSONValue.integer) ?? .null),
            ("recent_runs", .array(recentRuns.map { r in
                .object([("id", .string(r.id.lowercased())), ("created", .string(r.created.iso8601())), ("strategy", .string(r.strategy)),
                         ("symbol", .string(r.symbol)), ("return_pct", r.returnPct.map(JSONValue.number) ?? .null),
                         ("trades", .integer(r.trades))])
            })),
            ("running", .object([
                ("bots", .integer(runningBots)), ("workflows", .integer(runningWorkflows)),
                ("workflow_runs", .array(workflows.map { w in
                    .object([("id", .string(w.id.lowercased())), ("workflow", .string(w.workflow)), ("started", .string(w.started.iso8601())),
                             ("runner", .string(w.runner)), ("stale", .bool(w.stale))])
                })),
            ])),
        ])
    }
}
