import Foundation

/// A point in time a wait must not pass (monotonic clock).
public struct Deadline: Sendable {
    public let instant: ContinuousClock.Instant
    public init(seconds: Double) { self.instant = .now + .milliseconds(Int(seconds * 1000)) }
    public var hasPassed: Bool { ContinuousClock.now >= self.instant }
    public var remainingSeconds: Double {
        let left = self.instant - ContinuousClock.now
        let (s, atto) = left.components
        return max(0, Double(s) + Double(atto) / 1e18)
    }
}

/// Polls `condition` until it returns true, or throws once `within` seconds have passed.
/// Errors thrown by `condition` count as "not yet"; the last one is reported on timeout.
public func eventually(
    within seconds: Double, poll: Double = 0.02, _ what: @autoclosure () -> String = "condition",
    file: StaticString = #filePath, line: UInt = #line,
    _ condition: () async throws -> Bool
) async throws {
    _ = try await eventuallyValue(within: seconds, poll: poll, what(), file: file, line: line) {
        try await condition() ? true : nil
    }
}

/// Polls `produce` until it returns a value, or throws once `within` seconds have passed.
@discardableResult
public func eventuallyValue<T>(
    within seconds: Double, poll: Double = 0.02, _ what: @autoclosure () -> String = "value",
    file: StaticString = #filePath, line: UInt = #line,
    _ produce: () async throws -> T?
) async throws -> T {
    let deadline = Deadline(seconds: seconds)
    var lastError: Error?
    while true {
        do {
            if let value = try await produce() { return value }
        } catch {
            lastError = error
        }
        if deadline.hasPassed {
            let suffix = lastError.map { " (last error: \($0))" } ?? ""
            throw HarnessError("timed out after \(seconds)s waiting for \(what())\(suffix)", file: file, line: line)
        }
        try await Task.sleep(for: .milliseconds(Int(poll * 1000)))
    }
}
