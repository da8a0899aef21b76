/// Maps TOML keys to the lines they were written on, because TOMLKit keeps no source positions for values.
///
/// Scans the raw text once, tracking `[table]` and `[[array]]` headers (with how many times each array
/// header has appeared), `key = value` lines and the lines a multi-line value spans. Comments and string
/// contents are skipped, so `# [site]` or `"a = b"` never look like headers or keys.
struct KeyLocator: Sendable {
    /// A place in the document: a key of a table (or of one element of an array of tables), or,
    /// with `key == nil`, the table's header line.
    struct Slot: Hashable, Sendable {
        /// Dotted table path; "" for the root table.
        var table: String
        /// Position in an array of tables (`[[site]]` number 0, 1, …); nil for plain tables.
        var index: Int?
        /// Key inside the table (dotted for dotted keys); nil for the header itself.
        var key: String?
    }

    /// First and last line (1-based) of each slot's text.
    private var spans: [Slot: ClosedRange<Int>] = [:]
    /// The source, one byte array per line, without line terminators.
    private let lines: [[UInt8]]

    /// Scans `text`; never fails (lines it cannot make sense of are left to TOMLKit to report).
    init(text: String) {
        self.lines = text.utf8.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false).map {
            var line = Array($0)
            if line.last == Byte.carriageReturn { line.removeLast() }
            return line
        }
        var builder = Builder()
        for (offset, bytes) in self.lines.enumerated() {
            builder.consume(bytes, line: offset + 1)
        }
        self.spans = builder.spans
    }

    /// Line where `key` is assigned in `table` (element `index` of an array of tables), if written there.
    func line(table: String, index: Int?, key: String) -> Int? {
        self.spans[Slot(table: table, index: index, key: key)]?.lowerBound
    }

    /// Line of the `[table]` or `[[table]]` header (element `index`), if the table has one.
    func headerLine(table: String, index: Int?) -> Int? {
        self.spans[Slot(table: table, index: index, key: nil)]?.lowerBound
    }

    /// Line of the string element `"element"` inside the (possibly multi-line) value of `key`, compared
    /// without regard to case. `occurrence` picks a later line when the element is written more than once;
    /// falls back to the last match, then to the key's own line.
    func line(ofElement element: String, table: String, index: Int?, key: String, occurrence: Int = 0) -> Int? {
        guard let span = self.spans[Slot(table: table, index: index, key: key)] else { return nil }
        let needles = ["\"\(element)\"", "'\(element)'"].map { Array($0.lowercased().utf8) }
        let matches = span.filter { line in
            let haystack = Array(String(decoding: self.lines[line - 1], as: UTF8.self).lowercased().utf8)
            return needles.contains { Self.contains(haystack, $0) }
        }
        return matches.isEmpty ? span.lowerBound : matches[min(occurrence, matches.count - 1)]
    }

    /// Byte-wise substring search.
    private static func contains(_ haystack: [UInt8], _ needle: [UInt8]) -> Bool {
        guard !needle.isEmpty, haystack.count >= needle.count else { return false }
        return (0...(haystack.count - needle.count)).contains {
            haystack[$0..<($0 + needle.count)].elementsEqual(needle)
        }
    }
}

/// The builder that turns lines into slots.
extension KeyLocator {
    /// The line-by-line state machine behind `init(text:)`.
    private struct Builder {
        var spans: [Slot: ClosedRange<Int>] = [:]
        private var scanner = TOMLLineScanner()
        private var table = ""
        private var index: Int?
        private var arrayCounts: [String: Int] = [:]
        /// Slots whose value is still open (a multi-line array or string).
        private var openSlots: [Slot] = []

        /// Feeds one line.
        mutating func consume(_ bytes: [UInt8], line: Int) {
            if self.scanner.isInsideValue {
                for slot in self.openSlots { self.spans[slot] = self.spans[slot]!.lowerBound...line }
                self.scanner.scanValue(bytes, from: 0)
                if !self.scanner.isInsideValue { self.openSlots = [] }
            } else if let header = TOMLKeySyntax.parseHeader(bytes) {
                self.enter(header, line: line)
            } else if let (path, valueStart) = TOMLKeySyntax.parseAssignment(bytes) {
                self.assign(path, line: line)
                self.scanner.scanValue(bytes, from: valueStart)
                if !self.scanner.isInsideValue { self.openSlots = [] }
            }
        }

        /// Switches the current table at a header, recording its line and the key it adds to its parent.
        private mutating func enter(_ header: TOMLKeySyntax.Header, line: Int) {
            let path = header.path.joined(separator: ".")
            let parent = header.path.dropLast().joined(separator: ".")
            self.record(Slot(table: parent, index: self.arrayIndex(of: parent), key: header.path.last), line: line)
            if header.isArray { self.arrayCounts[path, default: 0] += 1 }
            self.table = path
            self.index = self.arrayIndex(of: path)
            self.record(Slot(table: path, index: self.index, key: nil), line: line)
        }

        /// Records `a.b.c = …` as both `a` and `a.b.c` in the current table.
        private mutating func assign(_ path: [String], line: Int) {
            var keys = [path[0]]
            if path.count > 1 { keys.append(path.joined(separator: ".")) }
            self.openSlots = keys.map { Slot(table: self.table, index: self.index, key: $0) }
            for slot in self.openSlots { self.record(slot, line: line) }
        }

        /// Keeps the first line seen for a slot (TOMLKit reports true duplicates itself).
        private mutating func record(_ slot: Slot, line: Int) {
            if self.spans[slot] == nil { self.spans[slot] = line...line }
        }

        /// Index of the latest element of the array of tables at `path`, if it is one.
        private func arrayIndex(of path: String) -> Int? {
            self.arrayCounts[path].map { $0 - 1 }
        }
    }
}
