import Foundation

/// Which sanitizer, if any, the suite runs under: `scripts/sanitize.sh` sets `PORTCULLIS_SANITIZER`
/// (`address` or `thread`) for the test runner and so for every proxy it starts.
public enum SanitizerRun {
    /// The sanitizer's name, or nil in a normal run.
    public static let kind: String? = ProcessInfo.processInfo.environment["PORTCULLIS_SANITIZER"].flatMap { $0.isEmpty ? nil : $0 }

    /// Under AddressSanitizer, whose quarantine keeps freed memory resident (256 MiB by default), so a
    /// process's RSS no longer measures what it buffers.
    public static var address: Bool { self.kind == "address" }
}
