/// Python's float floor division `a // b`, reproduced so that whole-unit position sizes match
/// backtesting.py exactly even when `a / b` rounds up to an integer in binary floating point.
@inlinable
public func pythonFloorDivide(_ a: Double, _ b: Double) -> Double {
    // Fast path (one division instead of `fmod`, which is slow): for positive operands whose
    // rounded quotient q is not a whole number, the exact quotient lies within half an ulp of q,
    // hence strictly between the same two integers, and its floor is floor(q) — the value Python
    // computes. A whole-number q (rounding may have crossed an integer) and other signs take
    // Python's own route below.
    let q = a / b
    if a > 0 && b > 0 {
        let f = q.rounded(.down)
        if f != q { return f }
    }
    var mod = a.truncatingRemainder(dividingBy: b)
    var div = (a - mod) / b
    if mod != 0 && ((b < 0) != (mod < 0)) {
        mod += b
        div -= 1
    }
    if div == 0 { return (0.0 * a / b).sign == .minus ? -0.0 : 0.0 }
    var floorDiv = div.rounded(.down)
    if div - floorDiv > 0.5 { floorDiv += 1 }
    return floorDiv
}
