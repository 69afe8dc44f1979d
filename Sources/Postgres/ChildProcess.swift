import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// Runs a program with `posix_spawn` and collects its exit status and output.
///
/// Foundation's `Process.waitUntilExit` was seen to hang on Linux when called
/// from a concurrency thread; plain `posix_spawn` and `waitpid` do not.
public enum ChildProcess {
    public struct Result: Sendable {
        public var status: Int32
        /// Standard output and standard error, interleaved.
        public var output: String
    }

    /// Runs `arguments[0]` (an absolute path) and waits for it to exit.
    public static func run(_ arguments: [String]) throws -> Result {
        var pipeEnds: [Int32] = [0, 0]
        // Close-on-exec, so no other child (a concurrent one, a watchdog) inherits the write end and holds EOF off.
        guard pipe(&pipeEnds) == 0 else { throw spawnError(arguments[0], errno) }
        _ = fcntl(pipeEnds[0], F_SETFD, FD_CLOEXEC)
        _ = fcntl(pipeEnds[1], F_SETFD, FD_CLOEXEC)
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_adddup2(&actions, pipeEnds[1], 1)
        posix_spawn_file_actions_adddup2(&actions, pipeEnds[1], 2)
        posix_spawn_file_actions_addclose(&actions, pipeEnds[0])
        posix_spawn_file_actions_addclose(&actions, pipeEnds[1])
        let pid = try spawn(arguments, actions: &actions)
        close(pipeEnds[1])
        var output = Data()
        var buffer = [UInt8](repeating: 0, count: 65_536)
        while true {
            let count = read(pipeEnds[0], &buffer, buffer.count)
            if count > 0 {
                output.append(contentsOf: buffer[0..<count])
            } else if count == 0 || errno != EINTR {
                break
            }
        }
        close(pipeEnds[0])
        return Result(status: wait(for: pid), output: String(decoding: output, as: UTF8.self))
    }

    /// Starts `arguments[0]` with `environment` added, its output appended to `logFile`; returns its pid.
    public static func launch(_ arguments: [String], environment: [String: String], logFile: String) throws -> pid_t {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, logFile, O_WRONLY | O_CREAT | O_APPEND, 0o644)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)
        closeInheritedDescriptors(&actions)
        var merged = ProcessInfo.processInfo.environment
        for (key, value) in environment { merged[key] = value }
        var pid: pid_t = 0
        var argv: [UnsafeMutablePointer<CChar>?] = arguments.map { strdup($0) } + [nil]
        var envp: [UnsafeMutablePointer<CChar>?] = merged.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer {
            for pointer in argv { free(pointer) }
            for pointer in envp { free(pointer) }
        }
        var attributes = SpawnAttributes()
        defer { attributes.destroy() }
        let status = posix_spawn(&pid, arguments[0], &actions, &attributes.value, &argv, &envp)
        guard status == 0 else { throw spawnError(arguments[0], status) }
        return pid
    }

    /// Kills a launched process with SIGKILL and reaps it.
    public static func kill9(_ pid: pid_t) {
        kill(pid, SIGKILL)
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
    }

    /// Starts `arguments[0]` in a new session, detached from this process, and does not wait.
    public static func startDetached(_ arguments: [String]) throws {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        for descriptor: Int32 in [0, 1, 2] {
            posix_spawn_file_actions_addopen(&actions, descriptor, "/dev/null", descriptor == 0 ? O_RDONLY : O_WRONLY, 0)
        }
        _ = try spawn(["/usr/bin/setsid"] + arguments, actions: &actions)
    }

    /// Closes every descriptor from 3 up in the child: sockets of this process (SwiftNIO's are not
    /// close-on-exec) must not live on in a child, holding a port open after this process closed it.
    private static func closeInheritedDescriptors(_ actions: inout posix_spawn_file_actions_t) {
        _ = posixSpawnFileActionsAddCloseFrom(&actions, 3)
    }

    private static func spawn(_ arguments: [String], actions: inout posix_spawn_file_actions_t) throws -> pid_t {
        closeInheritedDescriptors(&actions)
        var pid: pid_t = 0
        var argv: [UnsafeMutablePointer<CChar>?] = arguments.map { strdup($0) } + [nil]
        defer { for pointer in argv { free(pointer) } }
        var attributes = SpawnAttributes()
        defer { attributes.destroy() }
        let status = posix_spawn(&pid, arguments[0], &actions, &attributes.value, &argv, environ)
        guard status == 0 else { throw spawnError(arguments[0], status) }
        return pid
    }

    private static func wait(for pid: pid_t) -> Int32 {
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 {
            if errno != EINTR { return -1 }
        }
        // WIFEXITED / WEXITSTATUS, which Swift does not import as macros.
        if status & 0x7f == 0 { return (status >> 8) & 0xff }
        return 128 + (status & 0x7f)
    }

    private static func spawnError(_ program: String, _ code: Int32) -> PostgresError {
        PostgresError(code: .localCluster, message: "cannot run \(program): \(String(cString: strerror(code)))")
    }
}

/// Spawn attributes that start a program with no signal blocked and SIGINT and SIGTERM at their defaults.
///
/// A spawned program inherits the spawning thread's signal mask; a thread of this process may have
/// SIGINT or SIGTERM blocked (a signal handler's dispatch), and the child would then never see the
/// signal that is meant to stop it.
private struct SpawnAttributes {
    var value = posix_spawnattr_t()

    init() {
        posix_spawnattr_init(&value)
        var none = sigset_t()
        sigemptyset(&none)
        posix_spawnattr_setsigmask(&value, &none)
        var defaults = sigset_t()
        sigemptyset(&defaults)
        sigaddset(&defaults, SIGINT)
        sigaddset(&defaults, SIGTERM)
        posix_spawnattr_setsigdefault(&value, &defaults)
        posix_spawnattr_setflags(&value, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))
    }

    mutating func destroy() { posix_spawnattr_destroy(&value) }
}

/// glibc's `posix_spawn_file_actions_addclosefrom_np` (2.34+), which Swift's Glibc module does not import.
@_silgen_name("posix_spawn_file_actions_addclosefrom_np")
private func posixSpawnFileActionsAddCloseFrom(_ actions: UnsafeMutablePointer<posix_spawn_file_actions_t>, _ from: Int32) -> Int32
