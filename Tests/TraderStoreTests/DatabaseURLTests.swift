import Foundation
import Testing
@testable import TraderStore

@Suite struct DatabaseURLTests {
    @Test func parsesEveryPart() throws {
        let url = try DatabaseURL(parsing: "postgres://trader:s%40cret@db.example:6543/runs?pool_size=4&sslmode=disable")
        #expect(url.username == "trader" && url.password == "s@cret")
        #expect(url.host == "db.example" && url.port == 6543 && url.database == "runs")
        #expect(url.options == ["pool_size": "4", "sslmode": "disable"])
        #expect(url.redacted == "postgres://trader:***@db.example:6543/runs?pool_size=4&sslmode=disable")
        #expect(try DatabaseURL(parsing: "postgresql://u@h/d").port == 5432)
    }

    @Test func errorsNameThePartAndNeverThePassword() {
        let cases: [(String, String)] = [
            ("mysql://u:hunter2@h/d", "scheme"), ("postgres://u:hunter2@/d", "host"), ("postgres://u:hunter2@h:99999/d", "port"),
            ("postgres://u:hunter2@h:5432", "database"), ("postgres://:hunter2@h/d", "user"), ("postgres://u:hunter2@h/d?pool_size", "pool_size"),
        ]
        for (text, part) in cases {
            do {
                let configuration = try PostgresStoreConfiguration(parsing: text)
                Issue.record("\(configuration.url.redacted) parsed")
            } catch {
                let message = "\(error)"
                #expect(message.contains(part), "\(message)")
                #expect(!message.contains("hunter2"), "\(message)")
            }
        }
    }

    @Test func poolOptionsComeFromTheQuery() throws {
        let c = try PostgresStoreConfiguration(parsing: "postgres://u:p@h/d?pool_size=3&min_idle=1&idle_timeout=5&keepalive=0&connect_timeout=2.5&sslmode=require")
        #expect(c.poolSize == 3 && c.minimumConnections == 1 && c.idleTimeout == .seconds(5) && c.keepAlive == nil)
        #expect(c.connectTimeout == .milliseconds(2_500) && c.tls == .require)
        #expect(throws: StoreError.self) { try PostgresStoreConfiguration(parsing: "postgres://u:p@h/d?pool_size=0") }
        #expect(throws: StoreError.self) { try PostgresStoreConfiguration(parsing: "postgres://u:p@h/d?pool_size=2&min_idle=3") }
        #expect(throws: StoreError.self) { try PostgresStoreConfiguration(parsing: "postgres://u:p@h/d?sslmode=maybe") }
    }

    @Test func unknownOptionsAndSchemasAreChecked() throws {
        #expect(try PostgresStoreConfiguration(parsing: "postgres://u:p@h/d?schema=team_a").schema == "team_a")
        #expect(try PostgresStoreConfiguration(parsing: "postgres://u:p@h/d?acquire_timeout=0.25").acquireTimeout == .milliseconds(250))
        #expect(throws: StoreError.self) { try PostgresStoreConfiguration(parsing: "postgres://u:p@h/d?schema=Team-A") }
        do {
            _ = try PostgresStoreConfiguration(parsing: "postgres://u:hunter2@h/d?pool_sise=3")
            Issue.record("accepted a misspelt option")
        } catch {
            let message = "\(error)"
            #expect(message.contains("unknown option pool_sise") && message.contains("pool_size") && !message.contains("hunter2"), "\(message)")
        }
    }
}
