import Foundation

public enum StoreClock {
    /// Now, in nanoseconds since 1970 (the unit of every stored time).
    public static func nowNanos() -> Int64 {
        Int64((Date().timeIntervalSince1970 * 1e9).rounded())
    }
}
