import Foundation

/// The deterministic byte stream used for large bodies: byte `i` is `i % 251`. Generated and checked
/// in 64 KiB pieces, so neither side ever holds a whole body.
public enum Pattern {
    static let period = 251
    /// 64 KiB plus one period, so any window `[offset % 251, + 64 KiB)` is available.
    static let block: [UInt8] = (0..<(65536 + period)).map { UInt8($0 % period) }

    /// Calls `body` with consecutive pieces of the first `count` pattern bytes; stops when it returns false.
    public static func generate(count: Int, pieceSize: Int = 65536, _ body: (UnsafeRawBufferPointer) -> Bool) {
        self.block.withUnsafeBytes { raw in
            var sent = 0
            while sent < count {
                let n = min(pieceSize, 65536, count - sent)
                let start = sent % period
                if !body(UnsafeRawBufferPointer(rebasing: raw[start..<start + n])) { return }
                sent += n
            }
        }
    }

    /// The first `count` pattern bytes as an array (small bodies only).
    public static func bytes(_ count: Int, offset: Int = 0) -> [UInt8] {
        (0..<count).map { UInt8(($0 + offset) % period) }
    }

    /// Checks that `piece` continues the pattern at stream offset `offset` (memcmp, fast in debug builds).
    public static func matches(_ piece: UnsafeRawBufferPointer, at offset: Int) -> Bool {
        guard piece.count > 0 else { return true }
        return self.block.withUnsafeBytes { raw in
            var checked = 0
            while checked < piece.count {
                let n = min(65536, piece.count - checked)
                let start = (offset + checked) % period
                if memcmp(piece.baseAddress! + checked, raw.baseAddress! + start, n) != 0 { return false }
                checked += n
            }
            return true
        }
    }

    /// Writes a file holding the first `count` pattern bytes.
    public static func writeFile(_ path: String, count: Int) throws {
        guard FileManager.default.createFile(atPath: path, contents: nil),
            let handle = FileHandle(forWritingAtPath: path)
        else { throw HarnessError("cannot create \(path)") }
        defer { try? handle.close() }
        var failure: Error?
        self.generate(count: count, pieceSize: 1 << 16) { piece in
            do { try handle.write(contentsOf: Data(piece)) } catch { failure = error }
            return failure == nil
        }
        if let failure { throw failure }
    }

    /// Size of the file, and whether its content is exactly the pattern (read in 1 MiB pieces).
    public static func checkFile(_ path: String) throws -> (size: Int, matches: Bool) {
        guard let handle = FileHandle(forReadingAtPath: path) else { throw HarnessError("cannot open \(path)") }
        defer { try? handle.close() }
        var offset = 0
        var ok = true
        while let data = try handle.read(upToCount: 1 << 20), !data.isEmpty {
            if ok { ok = data.withUnsafeBytes { self.matches($0, at: offset) } }
            offset += data.count
        }
        return (offset, ok)
    }
}
