/// Refuses table headers (and, through `TOMLArrayCheck`, array elements) that toml++ (inside TOMLKit
/// 0.6.0) does not check itself.
///
/// toml++ 3 assumes that the byte after a header's `[` or `[[` (and any blanks) starts a key, a bare
/// key character or a quote; `[$a]`, `[@]` or `[.a]` break that assumption. With assertions on (debug
/// builds) the process aborts; without, the parser runs on in undefined behaviour. One typo in
/// `proxy.conf` must give `FILE:LINE: invalid TOML: …`, never take `validate` or a SIGHUP reload down,
/// so the loader runs this check first. Lines inside multi-line strings and arrays are skipped, using
/// the same scanner as `KeyLocator`.
enum TOMLHeaderCheck {
    /// A header that toml++ must not see: its line (1-based) and a message.
    struct Problem: Equatable {
        var line: Int
        var message: String
    }

    /// The first table header in `text` whose first key does not start with a key character.
    static func firstProblem(in text: String) -> Problem? {
        var scanner = TOMLLineScanner()
        var number = 0
        for raw in text.utf8.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false) {
            number += 1
            let bytes = Array(raw)
            if scanner.isInsideValue {
                scanner.scanValue(bytes, from: 0)
                continue
            }
            var index = Self.skipBlanks(bytes, from: 0)
            guard index < bytes.count, bytes[index] == Byte.openBracket else {
                scanner.scanValue(bytes, from: index)
                continue
            }
            index += 1
            if index < bytes.count, bytes[index] == Byte.openBracket { index += 1 }
            index = Self.skipBlanks(bytes, from: index)
            // toml++ looks past the line break too, so `[` alone on its line is refused here as well.
            if index == bytes.count || !Self.startsKey(bytes[index]) {
                let found = index == bytes.count ? "the end of the line" : Self.describe(bytes[index])
                return Problem(line: number, message: "a table header must start with a key (letters, digits, `_`, `-`, or a quoted key), found \(found)")
            }
        }
        return TOMLArrayCheck.firstProblem(in: Array(text.utf8))
    }

    /// A bare-key character (TOML 1.0: `A-Za-z0-9_-`) or a string delimiter.
    private static func startsKey(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
            UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "_"), UInt8(ascii: "-"), Byte.doubleQuote, Byte.singleQuote:
            return true
        default:
            return false
        }
    }

    /// `'$'` for printable ASCII, else the byte in hex, so the message is readable whatever was written.
    static func describe(_ byte: UInt8) -> String {
        (0x21...0x7E).contains(byte) ? "'\(Character(Unicode.Scalar(byte)))'" : "byte 0x\(String(byte, radix: 16, uppercase: true))"
    }

    private static func skipBlanks(_ bytes: [UInt8], from start: Int) -> Int {
        var index = start
        while index < bytes.count, bytes[index] == Byte.space || bytes[index] == Byte.tab { index += 1 }
        return index
    }
}
