import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// Prints a line of a benchmark's report and flushes it, so progress shows when the output goes to a file.
func printLine(_ line: String) {
    print(line)
    fflush(nil)
}
