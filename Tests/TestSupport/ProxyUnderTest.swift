import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// The ready file (CONTRACTS.md): written after every listener is bound, rewritten on each reload.
public struct ReadyInfo: Sendable, Decodable {
    public struct Listener: Sendable, Decodable {
        public let bind: String
        public let port: UInt16
        public let tls: Bool
    }
    public let pid: Int32
    public let generation: Int
    public let listeners: [Listener]
    /// The admin API listener, when the config has `[admin]`.
    public let admin: Listener?
}

/// A `portcullis run` process with its own temp directory, config and state dir. Killed on deinit.
public final class ProxyUnderTest: @unchecked Sendable {
    public let directory: String
    public let configPath: String
    public let readyPath: String
    public var stateDir: String { self.directory + "/state" }
    public let process: ChildProcess
    public let httpsPort: UInt16
    /// 0 when the config has no plain listener.
    public let httpPort: UInt16
    /// The admin API's port; 0 without `[admin]`.
    public let adminPort: UInt16
    public var pid: Int32 { self.process.pid }

    /// Writes the config and starts the proxy; returns once the ready file names every listener.
    /// `openFileLimit` starts it through `/bin/sh -c 'ulimit -n N; exec …'` (soft and hard limit), or
    /// with `softLimitOnly` through `ulimit -S -n N` (the hard limit stays, so the proxy may raise it).
    /// `prepare` runs with the config path before the process starts (e.g. `certs import`).
    /// `stdoutPath` sends the proxy's stdout to that file or FIFO instead of the harness's pipe.
    public static func start(
        _ spec: ProxyConfigSpec, openFileLimit: Int? = nil, softLimitOnly: Bool = false, stdoutPath: String? = nil,
        within seconds: Double = 30,
        file: StaticString = #filePath, line: UInt = #line, prepare: ((String) async throws -> Void)? = nil
    ) async throws -> ProxyUnderTest {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("portcullis-it-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        let config = dir + "/proxy.conf"
        try spec.render().write(toFile: config, atomically: true, encoding: .utf8)
        if let prepare { try await prepare(config) }
        let ready = dir + "/ready.json"
        let arguments = ["run", "--config", config, "--ready-file", ready]
        let child = try openFileLimit.map { limit in
            let flags = softLimitOnly ? "-S -n" : "-n"
            return try ChildProcess("/bin/sh", ["-c", "ulimit \(flags) \(limit) && exec \"$0\" \"$@\"", try Self.binary()] + arguments)
        } ?? stdoutPath.map { path in
            try ChildProcess("/bin/sh", ["-c", "out=$1; shift; exec \"$@\" >\"$out\"", "sh", path, try Self.binary()] + arguments)
        } ?? ChildProcess(try Self.binary(), arguments)
        do {
            let info = try await eventuallyValue(within: seconds, "ready file \(ready)", file: file, line: line) { () -> ReadyInfo? in
                if child.hasExited {
                    throw HarnessError("portcullis exited with \(child.exitCode ?? -1): \(child.stderrText.suffix(2000))")
                }
                guard let info = Self.readReady(ready), info.listeners.count == spec.listeners.count else { return nil }
                return info
            }
            return ProxyUnderTest(dir: dir, config: config, ready: ready, process: child, info: info)
        } catch {
            child.kill()
            if child.hasExited && !child.stderrText.isEmpty, !"\(error)".contains("exited with") {
                throw HarnessError("\(error); stderr: \(child.stderrText.suffix(2000))", file: file, line: line)
            }
            throw error
        }
    }

    /// Starts `portcullis run` again on an existing folder (its config and state), as after a crash;
    /// returns once the ready file names `listeners` listeners. Set `keepsDirectory` on the earlier
    /// instance so that releasing it does not delete the folder.
    public static func restart(
        in dir: String, configPath config: String, listeners: Int, within seconds: Double = 30,
        file: StaticString = #filePath, line: UInt = #line
    ) async throws -> ProxyUnderTest {
        let ready = dir + "/ready.json"
        try? FileManager.default.removeItem(atPath: ready)
        let child = try ChildProcess(try Self.binary(), ["run", "--config", config, "--ready-file", ready])
        do {
            let info = try await eventuallyValue(within: seconds, "ready file \(ready)", file: file, line: line) { () -> ReadyInfo? in
                if child.hasExited {
                    throw HarnessError("portcullis exited with \(child.exitCode ?? -1): \(child.stderrText.suffix(2000))")
                }
                guard let info = Self.readReady(ready), info.listeners.count == listeners else { return nil }
                return info
            }
            return ProxyUnderTest(dir: dir, config: config, ready: ready, process: child, info: info)
        } catch {
            child.kill()
            throw error
        }
    }

    /// When true, deinit leaves the folder in place (a later `restart` uses it).
    public var keepsDirectory = false

    private init(dir: String, config: String, ready: String, process: ChildProcess, info: ReadyInfo) {
        self.directory = dir
        self.configPath = config
        self.readyPath = ready
        self.process = process
        self.httpsPort = info.listeners.first { $0.tls }?.port ?? 0
        self.httpPort = info.listeners.first { !$0.tls }?.port ?? 0
        self.adminPort = info.admin?.port ?? 0
    }

    /// `PORTCULLIS_BIN`, else `portcullis` next to the test bundle (or one directory up).
    public static func binary() throws -> String {
        if let path = ProcessInfo.processInfo.environment["PORTCULLIS_BIN"], !path.isEmpty { return path }
        let exe = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
        var dir = (exe as NSString).deletingLastPathComponent
        for _ in 0..<3 {
            let candidate = dir + "/portcullis"
            var isDir: ObjCBool = false
            if FileManager.default.fileExists(atPath: candidate, isDirectory: &isDir), !isDir.boolValue { return candidate }
            dir = (dir as NSString).deletingLastPathComponent
        }
        throw HarnessError("portcullis binary not found near \(exe); set PORTCULLIS_BIN")
    }

    public static func readReady(_ path: String) -> ReadyInfo? {
        guard let data = FileManager.default.contents(atPath: path) else { return nil }
        return try? JSONDecoder().decode(ReadyInfo.self, from: data)
    }

    // MARK: Observing

    /// The current ready file.
    public var ready: ReadyInfo? { Self.readReady(self.readyPath) }
    /// Captured stdout: the access log.
    public var accessLog: String { self.process.stdoutText }
    public var accessLogLines: [String] { self.accessLog.split(separator: "\n").map(String.init) }
    /// Captured stderr: the logs.
    public var logs: String { self.process.stderrText }

    /// Waits until the logs contain `text`.
    public func waitForLog(_ text: String, within seconds: Double = 10, file: StaticString = #filePath, line: UInt = #line) async throws {
        try await eventually(within: seconds, "log containing \"\(text)\"", file: file, line: line) { self.logs.contains(text) }
    }

    /// Waits until the ready file reports `generation` (after a SIGHUP reload).
    public func waitForGeneration(_ generation: Int, within seconds: Double = 15, file: StaticString = #filePath, line: UInt = #line) async throws {
        try await eventually(within: seconds, "ready file generation \(generation)", file: file, line: line) {
            (self.ready?.generation ?? 0) >= generation
        }
    }

    /// CPU time (user + system, all threads) the proxy has used so far, in seconds, from /proc/PID/stat.
    public func cpuSeconds() throws -> Double {
        let text = try String(contentsOfFile: "/proc/\(self.pid)/stat", encoding: .utf8)
        // Fields after the parenthesised command name: state is field 3, utime 14 and stime 15.
        guard let close = text.lastIndex(of: ")") else { throw HarnessError("unreadable /proc/\(self.pid)/stat") }
        let fields = text[text.index(after: close)...].split(separator: " ")
        guard fields.count > 13, let user = Double(fields[11]), let system = Double(fields[12]) else {
            throw HarnessError("unreadable /proc/\(self.pid)/stat")
        }
        return (user + system) / Double(sysconf(Int32(_SC_CLK_TCK)))
    }

    /// VmRSS and VmHWM of the proxy in KiB, from /proc/PID/status.
    public func memory() throws -> (rssKiB: Int, hwmKiB: Int) {
        let text = try String(contentsOfFile: "/proc/\(self.pid)/status", encoding: .utf8)
        func field(_ name: String) -> Int {
            let line = text.split(separator: "\n").first { $0.hasPrefix(name + ":") } ?? ""
            return Int(line.split(separator: " ", omittingEmptySubsequences: true).dropFirst().first ?? "") ?? 0
        }
        return (field("VmRSS"), field("VmHWM"))
    }

    // MARK: Controlling

    /// Replaces the config file (atomically), e.g. before `sendSignal(SIGHUP)`.
    public func writeConfig(_ spec: ProxyConfigSpec) throws { try self.writeConfig(text: spec.render()) }
    public func writeConfig(text: String) throws { try text.write(toFile: self.configPath, atomically: true, encoding: .utf8) }

    public func sendSignal(_ signal: Int32) { self.process.signal(signal) }

    /// SIGTERM, then SIGKILL if it has not exited within `seconds`; returns the exit code.
    @discardableResult
    public func stop(within seconds: Double = 15, file: StaticString = #filePath, line: UInt = #line) async throws -> Int32 {
        self.process.signal(SIGTERM)
        return try await self.process.waitForExit(within: seconds, file: file, line: line)
    }

    /// SIGKILL now (cleanup path for `defer`).
    public func kill() { self.process.kill() }

    deinit {
        self.process.kill()
        if !self.keepsDirectory, ProcessInfo.processInfo.environment["PORTCULLIS_IT_KEEP"] == nil {
            try? FileManager.default.removeItem(atPath: self.directory)
        }
    }

    /// Runs `portcullis validate --config FILE` on `text` written to a temp file named `proxy.conf`.
    public static func validate(
        configText text: String, within seconds: Double = 20, file: StaticString = #filePath, line: UInt = #line
    ) async throws -> (exitCode: Int32, output: String, configPath: String) {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("portcullis-validate-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let path = dir + "/proxy.conf"
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        let result = try await ChildProcess.run(try binary(), ["validate", "--config", path], within: seconds, file: file, line: line)
        return (result.exitCode, String(decoding: result.stdout, as: UTF8.self) + result.stderr, path)
    }
}
