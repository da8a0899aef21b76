import Foundation

/// A fresh directory under the system temp dir, removed when the object dies.
final class TemporaryDirectory {
    let path: String

    /// Creates `/tmp/portcullis-tls-XXXXXX`.
    init() throws {
        var template = Array((NSTemporaryDirectory() + "/portcullis-tls-XXXXXX").utf8CString)
        guard mkdtemp(&template) != nil else { throw POSIXError(.EIO) }
        self.path = String(decoding: template.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    deinit { try? FileManager.default.removeItem(atPath: self.path) }

    /// `path/relative`.
    func file(_ relative: String) -> String { self.path + "/" + relative }
}
