import TraderCLI

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

exit(await CLI.run(Array(CommandLine.arguments.dropFirst())))
