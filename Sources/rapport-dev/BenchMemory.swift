import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// Memory figures of this process and of a PostgreSQL cluster's processes, read from `/proc`.
enum BenchMemory {
    /// A `kB` field of a `/proc/<pid>/status`-style file, in bytes.
    static func field(_ name: String, in text: String) -> Int? {
        for line in text.split(separator: "\n") where line.hasPrefix(name + ":") {
            let digits = line.dropFirst(name.count + 1).filter(\.isNumber)
            return Int(digits).map { $0 * 1024 }
        }
        return nil
    }

    static func status(_ pid: String = "self") -> String {
        (try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8)) ?? ""
    }

    /// This process's peak resident set size (VmHWM).
    static func peakResident() -> Int { field("VmHWM", in: status()) ?? 0 }

    /// This process's resident set size now (VmRSS).
    static func resident() -> Int { field("VmRSS", in: status()) ?? 0 }

    /// Hands freed heap back to the system (glibc keeps it otherwise), so RSS shows what is still in use.
    static func trimHeap() {
        _ = glibcMallocTrim(0)
    }

    /// Resets this process's VmHWM to its current RSS (`/proc/self/clear_refs` = 5), so a later peak is the phase's own.
    @discardableResult
    static func resetPeak() -> Bool {
        let fd = open("/proc/self/clear_refs", O_WRONLY)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        return write(fd, "5", 1) == 1
    }

    /// The postmaster (first line of `postmaster.pid`) and its children.
    static func clusterProcesses(dataDirectory: URL) -> [String] {
        guard let text = try? String(contentsOf: dataDirectory.appendingPathComponent("postmaster.pid"), encoding: .utf8),
            let postmaster = text.split(separator: "\n").first.map(String.init)
        else { return [] }
        var out = [postmaster]
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
        for pid in entries where pid.allSatisfy(\.isNumber) {
            guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
                let close = stat.lastIndex(of: ")")
            else { continue }
            // After "pid (comm) ": state, then the parent's pid.
            let rest = stat[stat.index(after: close)...].split(separator: " ")
            if rest.count > 1, rest[1] == postmaster { out.append(pid) }
        }
        return out
    }

    /// Memory of a set of processes: Σ PSS (shared pages split between sharers), Σ RSS, Σ anonymous RSS, Σ VmHWM.
    struct Cluster: Sendable {
        var pss = 0
        var rss = 0
        var anonymous = 0
        var peakRSS = 0

        static func read(_ pids: [String]) -> Cluster {
            var out = Cluster()
            for pid in pids {
                let status = BenchMemory.status(pid)
                out.rss += field("VmRSS", in: status) ?? 0
                out.anonymous += field("RssAnon", in: status) ?? 0
                out.peakRSS += field("VmHWM", in: status) ?? 0
                if let rollup = try? String(contentsOfFile: "/proc/\(pid)/smaps_rollup", encoding: .utf8) {
                    out.pss += field("Pss", in: rollup) ?? 0
                }
            }
            return out
        }
    }

    static func mebibytes(_ bytes: Int) -> String {
        String(format: "%.0f MiB", Double(bytes) / 1_048_576)
    }
}

/// glibc's `malloc_trim`, which the Glibc module does not export.
@_silgen_name("malloc_trim")
func glibcMallocTrim(_ pad: Int) -> Int32
