public import Foundation
public import JWTKit

/// Coinbase's request signing for the Advanced Trade REST API: every request carries its own
/// short-lived JWT, signed with the API key's EC private key (ES256), in `Authorization: Bearer`.
///
/// The token's header names the key (`kid`, the key name `organizations/…/apiKeys/…`) and a
/// random `nonce`; its claims are `sub` the key name, `iss` `cdp`, `nbf` now, `exp` two minutes
/// later, and `uri` the request it is good for: `METHOD host/path` (no query). A token cannot be
/// reused for another request, and expires before a replay could matter.
public struct CoinbaseJWTSigner: RequestSigner {
    public let keyName: String
    let keys: JWTKeyCollection

    /// A signer with the key named `keyName` and its private key in PEM (`-----BEGIN EC PRIVATE
    /// KEY-----`, as Coinbase issues it, or PKCS #8). Throws when the PEM is not a P-256 key.
    public init(keyName: String, privateKeyPEM: String) async throws {
        self.keyName = keyName
        // Keys copied from the web console often carry literal "\n" sequences.
        let pem = privateKeyPEM.replacingOccurrences(of: "\\n", with: "\n")
        keys = JWTKeyCollection()
        await keys.add(ecdsa: try ES256PrivateKey(pem: pem), kid: JWKIdentifier(string: keyName))
    }

    /// The claims of a request's token.
    public struct Claims: JWTPayload, Equatable {
        public var sub: SubjectClaim
        public var iss: IssuerClaim
        public var nbf: NotBeforeClaim
        public var exp: ExpirationClaim
        public var uri: String

        public func verify(using algorithm: some JWTAlgorithm) async throws {
            try nbf.verifyNotBefore()
            try exp.verifyNotExpired()
            guard iss.value == "cdp" else { throw JWTError.claimVerificationFailure(failedClaim: iss, reason: "issuer must be cdp") }
        }
    }

    /// The `uri` claim of `method` on `path` (its query dropped) at `host`.
    public static func uri(method: String, host: String, path: String) -> String {
        "\(method) \(host)\(path.split(separator: "?", maxSplits: 1).first.map(String.init) ?? path)"
    }

    public func headers(method: String, host: String, path: String) async throws -> [(String, String)] {
        let now = Date()
        let claims = Claims(sub: SubjectClaim(value: keyName), iss: "cdp", nbf: NotBeforeClaim(value: now),
                            exp: ExpirationClaim(value: now.addingTimeInterval(120)), uri: Self.uri(method: method, host: host, path: path))
        var nonce = ""
        for _ in 0..<16 { nonce += String(format: "%02x", UInt8.random(in: 0...255)) }
        let token = try await keys.sign(claims, kid: JWKIdentifier(string: keyName), header: ["nonce": .string(nonce), "typ": "JWT"])
        return [("Authorization", "Bearer \(token)")]
    }
}
