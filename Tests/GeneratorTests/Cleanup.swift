import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// Removes the test folders at exit.
enum Cleanup {
    nonisolated(unsafe) static var folders: [URL] = []
    static let lock = NSLock()
    nonisolated(unsafe) static var installed = false

    static func register(_ url: URL) {
        lock.lock()
        defer { lock.unlock() }
        folders.append(url)
        if !installed {
            installed = true
            atexit {
                for folder in Cleanup.folders { try? FileManager.default.removeItem(at: folder) }
            }
        }
    }
}
