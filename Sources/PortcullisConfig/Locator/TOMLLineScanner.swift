/// The lexical state that carries from one TOML line to the next: open multi-line strings and brackets.
///
/// `KeyLocator` only needs to know whether a line starts a new `key = value` or header, or continues a
/// value begun above (a multi-line array or a `"""` string). This scanner answers that without
/// building values: strings are skipped, comments end the line, `[`/`{` and `]`/`}` move the depth.
struct TOMLLineScanner {
    /// Where the scanner stands between lines.
    enum Mode: Equatable {
        case normal
        /// Inside `"""…"""`.
        case basicBlock
        /// Inside `'''…'''`.
        case literalBlock
    }

    private(set) var mode = Mode.normal
    private(set) var depth = 0

    /// True while a value begun on an earlier line is still open.
    var isInsideValue: Bool { self.mode != .normal || self.depth > 0 }

    /// Consumes the value part of a line (or a whole continuation line) from `start`.
    mutating func scanValue(_ bytes: [UInt8], from start: Int) {
        var index = start
        while index < bytes.count {
            switch self.mode {
            case .basicBlock:
                index = self.scanBlock(bytes, from: index, quote: Byte.doubleQuote, escapes: true)
            case .literalBlock:
                index = self.scanBlock(bytes, from: index, quote: Byte.singleQuote, escapes: false)
            case .normal:
                guard let next = self.scanNormal(bytes, at: index) else { return }
                index = next
            }
        }
    }

    /// Handles one token outside strings; returns the next index, or nil at a comment.
    private mutating func scanNormal(_ bytes: [UInt8], at index: Int) -> Int? {
        let byte = bytes[index]
        switch byte {
        case Byte.hash:
            return nil
        case Byte.doubleQuote where Self.hasTriple(bytes, at: index, of: byte):
            self.mode = .basicBlock
            return index + 3
        case Byte.singleQuote where Self.hasTriple(bytes, at: index, of: byte):
            self.mode = .literalBlock
            return index + 3
        case Byte.doubleQuote, Byte.singleQuote:
            return Self.skipString(bytes, from: index + 1, quote: byte)
        case Byte.openBracket, Byte.openBrace:
            self.depth += 1
        case Byte.closeBracket, Byte.closeBrace:
            self.depth = max(0, self.depth - 1)
        default:
            break
        }
        return index + 1
    }

    /// Advances through a multi-line string body, leaving block mode at its closing triple quote.
    private mutating func scanBlock(_ bytes: [UInt8], from index: Int, quote: UInt8, escapes: Bool) -> Int {
        if escapes && bytes[index] == Byte.backslash { return index + 2 }
        guard Self.hasTriple(bytes, at: index, of: quote) else { return index + 1 }
        self.mode = .normal
        return index + 3
    }

    /// Returns the index just past the closing quote of a one-line string (or the line's end).
    static func skipString(_ bytes: [UInt8], from start: Int, quote: UInt8) -> Int {
        var index = start
        while index < bytes.count {
            if quote == Byte.doubleQuote && bytes[index] == Byte.backslash {
                index += 2
                continue
            }
            if bytes[index] == quote { return index + 1 }
            index += 1
        }
        return bytes.count
    }

    /// True when `bytes[index…index+2]` are three `quote` bytes.
    static func hasTriple(_ bytes: [UInt8], at index: Int, of quote: UInt8) -> Bool {
        index + 2 < bytes.count && bytes[index] == quote && bytes[index + 1] == quote && bytes[index + 2] == quote
    }
}

/// ASCII bytes the TOML scanners look for.
enum Byte {
    static let hash = UInt8(ascii: "#")
    static let doubleQuote = UInt8(ascii: "\"")
    static let singleQuote = UInt8(ascii: "'")
    static let backslash = UInt8(ascii: "\\")
    static let openBracket = UInt8(ascii: "[")
    static let closeBracket = UInt8(ascii: "]")
    static let openBrace = UInt8(ascii: "{")
    static let closeBrace = UInt8(ascii: "}")
    static let dot = UInt8(ascii: ".")
    static let equals = UInt8(ascii: "=")
    static let space = UInt8(ascii: " ")
    static let tab = UInt8(ascii: "\t")
    static let carriageReturn = UInt8(ascii: "\r")
}
