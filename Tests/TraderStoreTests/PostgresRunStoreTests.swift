import Foundation
import Testing
@testable import TraderStore

/// Connection errors against the real server of scripts/test.
@Suite(.enabled(if: Backend.enabled.contains(.postgres)))
struct PostgresRunStoreTests {
    @Test func missingDatabaseIsOneClearErrorWithoutThePassword() async throws {
        var configuration = try PostgresStoreConfiguration(parsing: try Backend.postgresURL())
        configuration.url.database = "no_such_database_\(UUID().uuidString.prefix(8).lowercased())"
        configuration.url.password = "topsecret-pw"
        do {
            let store = try await PostgresRunStore.open(configuration)
            try await store.close()
            Issue.record("opened a missing database")
        } catch {
            let message = "\(error)"
            #expect(message.contains(configuration.url.database), "\(message)")
            #expect(message.contains("3D000"), "\(message)")   // invalid_catalog_name
            #expect(!message.contains("topsecret-pw"), "\(message)")
        }
    }

    /// A role that logs in with a password (scripts/test makes one): the right password opens the
    /// store, a wrong one is one error naming the login failure (28P01) without either password.
    @Test func wrongPasswordIsOneClearErrorWithoutThePassword() async throws {
        let url = try #require(ProcessInfo.processInfo.environment["GPT_TRADER_TEST_PG_PASSWORD_URL"], "run the tests with scripts/test")
        var right = try PostgresStoreConfiguration(parsing: url)
        right.schema = "pw_" + UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "")
        right.tls = .disable
        let store = try await PostgresRunStore.open(right)
        try await store.dropSchema()
        try await store.close()

        var wrong = right
        wrong.url.password = "wrong-pw-123"
        do {
            let store = try await PostgresRunStore.open(wrong)
            try await store.close()
            Issue.record("logged in with a wrong password")
        } catch {
            let message = "\(error)"
            #expect(message.contains("28P01") && message.contains("gpt_trader_pw"), "\(message)")
            #expect(message.hasPrefix("cannot connect to postgres://gpt_trader_pw:***@"), "\(message)")
            #expect(!message.contains("wrong-pw-123") && !message.contains("right-pw"), "\(message)")
        }
    }

    @Test func unreachableServerIsOneClearError() async throws {
        // A port nothing listens on: bind one, note it, close it.
        var configuration = try PostgresStoreConfiguration(parsing: "postgres://u:secret-pw@127.0.0.1:1/d?connect_timeout=2")
        configuration.retryWindow = .seconds(1)
        do {
            let store = try await PostgresRunStore.open(configuration)
            try await store.close()
            Issue.record("connected to nothing")
        } catch {
            let message = "\(error)"
            #expect(message.hasPrefix("cannot connect to postgres://u:***@127.0.0.1:1/d"), "\(message)")
            #expect(!message.contains("secret-pw"), "\(message)")
        }
    }

    @Test func schemasKeepStoresApart() async throws {
        let a = try await PostgresRunStore.open(try Backend.postgresConfiguration())
        let b = try await PostgresRunStore.open(try Backend.postgresConfiguration())
        try await a.saveRun(Samples.run(bars: 3))
        #expect(try await a.listRuns(RunFilter()).count == 1)
        #expect(try await b.listRuns(RunFilter()).isEmpty)
        for store in [a, b] {
            try await store.dropSchema()
            try await store.close()
        }
    }
}
