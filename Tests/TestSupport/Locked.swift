import Foundation

/// A value guarded by a lock, shared between the test's task and helper threads (upstream
/// connections, pipe readers, process reapers).
public final class Locked<Value>: @unchecked Sendable {
    private let lock = NSLock()
    private var storage: Value

    public init(_ value: Value) { self.storage = value }

    public func withLock<R>(_ body: (inout Value) throws -> R) rethrows -> R {
        self.lock.lock()
        defer { self.lock.unlock() }
        return try body(&self.storage)
    }

    public var value: Value { self.withLock { $0 } }
}

/// The test process must never die of SIGPIPE when a peer (proxy, curl, s_client) closes first.
private let sigpipeIgnored: Void = { _ = signal(SIGPIPE, SIG_IGN) }()

/// Called by every helper that touches sockets or pipes; idempotent.
public func ignoreSIGPIPE() { _ = sigpipeIgnored }

/// A failure raised by a helper, carrying the caller's location so the report points at the test line.
public struct HarnessError: Error, CustomStringConvertible {
    public let message: String
    public let file: String
    public let line: UInt

    public init(_ message: String, file: StaticString = #filePath, line: UInt = #line) {
        self.message = message
        self.file = "\(file)"
        self.line = line
    }

    public var description: String { "\((self.file as NSString).lastPathComponent):\(self.line): \(self.message)" }
}
