/// Refuses a `}` where an array element is expected (`a = [}]`, `a = [1, }]`): toml++ 3 asserts that
/// an array element does not start with a value terminator, so that typo aborts a debug build and is
/// undefined behaviour in a release build (see `TOMLHeaderCheck`). Walks the text once, skipping
/// strings (one-line and multi-line, basic and literal), comments and table headers, with a stack of
/// the open arrays and inline tables.
enum TOMLArrayCheck {
    static func firstProblem(in bytes: [UInt8]) -> TOMLHeaderCheck.Problem? {
        var scan = Scan(bytes: bytes)
        while scan.index < bytes.count {
            if let problem = scan.step() { return problem }
        }
        return nil
    }

    /// The walk's position and what is open.
    private struct Scan {
        let bytes: [UInt8]
        var index = 0
        var line = 1
        /// Only blanks so far on this line (a `[` here, outside any value, starts a header).
        var atLineStart = true
        /// Open `[` (arrays) and `{` (inline tables), innermost last.
        var open: [UInt8] = []
        /// Inside an array, right after `[` or `,`: the next token must be an element or `]`.
        var expectingElement = false

        /// Consumes one token; returns the problem it makes, if any.
        mutating func step() -> TOMLHeaderCheck.Problem? {
            let byte = self.bytes[self.index]
            switch byte {
            case UInt8(ascii: "\n"):
                (self.line, self.atLineStart, self.index) = (self.line + 1, true, self.index + 1)
                return nil
            case Byte.space, Byte.tab, Byte.carriageReturn:
                self.index += 1
                return nil
            case Byte.hash:
                self.skipToLineEnd()
                return nil
            case Byte.doubleQuote, Byte.singleQuote:
                self.skipString(quote: byte)
            case Byte.openBracket where self.open.isEmpty && self.atLineStart:
                self.skipToLineEnd()  // a table header (checked by TOMLHeaderCheck)
                return nil
            case Byte.openBracket, Byte.openBrace:
                self.open.append(byte)
                self.expectingElement = byte == Byte.openBracket
                self.index += 1
            case Byte.closeBrace where self.open.last == Byte.openBracket && self.expectingElement:
                return .init(line: self.line, message: "found '}' where an array element or ']' was expected")
            case Byte.closeBracket, Byte.closeBrace:
                if !self.open.isEmpty { self.open.removeLast() }
                (self.expectingElement, self.index) = (false, self.index + 1)
            case UInt8(ascii: ","):
                (self.expectingElement, self.index) = (self.open.last == Byte.openBracket, self.index + 1)
            default:
                (self.expectingElement, self.index) = (false, self.index + 1)
            }
            self.atLineStart = false
            return nil
        }

        mutating func skipToLineEnd() {
            while self.index < self.bytes.count, self.bytes[self.index] != UInt8(ascii: "\n") { self.index += 1 }
        }

        /// Past the string starting at `index` (counting the lines a multi-line one spans).
        mutating func skipString(quote: UInt8) {
            self.expectingElement = false
            let triple = TOMLLineScanner.hasTriple(self.bytes, at: self.index, of: quote)
            self.index += triple ? 3 : 1
            while self.index < self.bytes.count {
                let byte = self.bytes[self.index]
                if quote == Byte.doubleQuote, byte == Byte.backslash {
                    if self.index + 1 < self.bytes.count, self.bytes[self.index + 1] == UInt8(ascii: "\n") { self.line += 1 }
                    self.index += 2
                    continue
                }
                if byte == UInt8(ascii: "\n") {
                    guard triple else { return }  // an unterminated one-line string: toml++ reports it
                    self.line += 1
                } else if byte == quote, !triple || TOMLLineScanner.hasTriple(self.bytes, at: self.index, of: quote) {
                    self.index += triple ? 3 : 1
                    return
                }
                self.index += 1
            }
        }
    }
}
