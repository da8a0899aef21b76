/// Reads TOML keys (`a`, `"quoted key"`, `'literal'`, dotted `a.b.c`) and headers from raw line bytes.
enum TOMLKeySyntax {
    /// A header line: `[a.b]` or `[[a.b]]`.
    struct Header: Equatable {
        var path: [String]
        var isArray: Bool
    }

    /// Parses a dotted key starting at `start` (after optional blanks); returns its segments and the
    /// index after it and any trailing blanks, or nil when no key is there.
    static func parseKey(_ bytes: [UInt8], from start: Int) -> (path: [String], end: Int)? {
        var index = self.skipBlanks(bytes, from: start)
        var path: [String] = []
        while true {
            guard let (segment, next) = self.parseSegment(bytes, from: index) else { return nil }
            path.append(segment)
            index = self.skipBlanks(bytes, from: next)
            guard index < bytes.count, bytes[index] == Byte.dot else { return (path, index) }
            index = self.skipBlanks(bytes, from: index + 1)
        }
    }

    /// Parses `[path]` or `[[path]]` at the start of a line; nil when the line is not a header.
    static func parseHeader(_ bytes: [UInt8]) -> Header? {
        let start = self.skipBlanks(bytes, from: 0)
        guard start < bytes.count, bytes[start] == Byte.openBracket else { return nil }
        let isArray = start + 1 < bytes.count && bytes[start + 1] == Byte.openBracket
        guard let (path, end) = self.parseKey(bytes, from: start + (isArray ? 2 : 1)) else { return nil }
        guard end < bytes.count, bytes[end] == Byte.closeBracket else { return nil }
        return Header(path: path, isArray: isArray)
    }

    /// Parses `key =` at the start of a line; returns the key path and the index just after `=`.
    static func parseAssignment(_ bytes: [UInt8]) -> (path: [String], valueStart: Int)? {
        guard let (path, end) = self.parseKey(bytes, from: 0) else { return nil }
        guard end < bytes.count, bytes[end] == Byte.equals else { return nil }
        return (path, end + 1)
    }

    /// One key segment: bare (`A-Za-z0-9_-`), basic-quoted or literal-quoted.
    private static func parseSegment(_ bytes: [UInt8], from start: Int) -> (String, Int)? {
        guard start < bytes.count else { return nil }
        let first = bytes[start]
        if first == Byte.doubleQuote || first == Byte.singleQuote {
            let end = TOMLLineScanner.skipString(bytes, from: start + 1, quote: first)
            guard end > start + 1, bytes[end - 1] == first else { return nil }
            return (String(decoding: bytes[(start + 1)..<(end - 1)], as: UTF8.self), end)
        }
        var end = start
        while end < bytes.count, self.isBareKeyByte(bytes[end]) { end += 1 }
        guard end > start else { return nil }
        return (String(decoding: bytes[start..<end], as: UTF8.self), end)
    }

    /// Letters, digits, `_` and `-`, the bytes allowed in a bare key.
    private static func isBareKeyByte(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
            UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "_"), UInt8(ascii: "-"):
            return true
        default:
            return false
        }
    }

    /// Skips spaces and tabs.
    static func skipBlanks(_ bytes: [UInt8], from start: Int) -> Int {
        var index = start
        while index < bytes.count, bytes[index] == Byte.space || bytes[index] == Byte.tab { index += 1 }
        return index
    }
}
