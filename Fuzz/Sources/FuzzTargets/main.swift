// The program's entry: libFuzzer's driver, run on the target FUZZ_TARGET names. SwiftPM links an
// executable's `main` to this file's top-level code, so libFuzzer's own `main` is not used;
// `LLVMFuzzerRunDriver` parses libFuzzer's flags and calls `fuzzerTestOneInput` per input.
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

@_silgen_name("LLVMFuzzerRunDriver")
func LLVMFuzzerRunDriver(
    _ argc: UnsafeMutablePointer<CInt>,
    _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>>,
    _ callback: @convention(c) (UnsafePointer<UInt8>?, Int) -> CInt
) -> CInt

/// The target `FUZZ_TARGET` names, looked up once (an unknown name stops the run at start).
let selected = FuzzTarget.fromEnvironment()

func fuzzerTestOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    selected.run(UnsafeRawBufferPointer(start: data, count: size))
    return 0
}

var argc = CommandLine.argc
var argv = CommandLine.unsafeArgv
exit(LLVMFuzzerRunDriver(&argc, &argv) { data, size in fuzzerTestOneInput(data, size) })
