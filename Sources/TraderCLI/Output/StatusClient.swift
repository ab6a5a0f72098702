import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import TraderApp
import TraderCore

/// Reads a running server's status: `GET {url}/api/v1/status`, the document `status --output
/// json` prints. An unreachable server or a non-JSON answer is a runtime error saying which.
enum StatusClient {
    static func fetch(_ base: String, timeout: TimeInterval = 10) async throws -> JSONValue {
        let trimmed = base.hasSuffix("/") ? String(base.dropLast()) : base
        guard let url = URL(string: trimmed + "/api/v1/status") else { throw AppError.usage("--url: '\(base)' is not a URL") }
        var request = URLRequest(url: url, timeoutInterval: timeout)
        request.setValue("application/json", forHTTPHeaderField: "Accept")
        if !ActiveConfiguration.string("server.api_key").isEmpty {
            request.setValue(ActiveConfiguration.string("server.api_key"), forHTTPHeaderField: "X-API-Key")
        }
        let data: Data
        let response: URLResponse
        do { (data, response) = try await URLSession.shared.data(for: request) } catch {
            throw AppError.runtime("cannot reach \(url.absoluteString): \(error.localizedDescription)")
        }
        let code = (response as? HTTPURLResponse)?.statusCode ?? 0
        guard code == 200 else {
            throw AppError.runtime("\(url.absoluteString) answered HTTP \(code): \(String(decoding: data.prefix(200), as: UTF8.self))")
        }
        do { return try JSONValue(parsing: String(decoding: data, as: UTF8.self)) } catch {
            throw AppError.runtime("\(url.absoluteString) did not answer with a status document: \(error)")
        }
    }
}
