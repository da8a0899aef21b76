/// Collects `ConfigError`s while a file is decoded, placing each on the line its key was written on.
///
/// A class so that every `TableReader` handed out during one load reports into the same list.
final class Diagnostics {
    /// The path as given by the caller, used as `ConfigError.file`.
    let file: String
    /// Source lines of keys and headers.
    let locator: KeyLocator
    /// Everything reported so far, in the order found.
    private(set) var errors: [ConfigError] = []

    /// Starts an empty report for `file`, whose text `locator` has scanned.
    init(file: String, locator: KeyLocator) {
        self.file = file
        self.locator = locator
    }

    /// Records a problem with `key` in `scope` (nil: the table itself), on `line` or the key's own line.
    func report(_ message: String, scope: Scope, key: String?, line: Int? = nil) {
        let line = line ?? self.line(scope: scope, key: key)
        self.errors.append(ConfigError(file: self.file, line: line, key: scope.label(key), message: message))
    }

    /// Records a problem that belongs to no key (a TOML syntax error).
    func report(_ message: String, line: Int) {
        self.errors.append(ConfigError(file: self.file, line: line, key: "", message: message))
    }

    /// Best line for `key` in `scope`: the key's assignment, else the table's header, else where the table
    /// is named in the root (inline tables), else line 1.
    func line(scope: Scope, key: String?) -> Int {
        if let key, let line = self.locator.line(table: scope.table, index: scope.index, key: key) { return line }
        if let line = self.locator.headerLine(table: scope.table, index: scope.index) { return line }
        if !scope.table.isEmpty, let line = self.locator.line(table: "", index: nil, key: scope.table) { return line }
        return 1
    }

    /// Line of one string element of an array value (a host in `hosts`, an address in `upstreams`).
    func line(ofElement element: String, scope: Scope, key: String, occurrence: Int = 0) -> Int {
        self.locator.line(ofElement: element, table: scope.table, index: scope.index, key: key, occurrence: occurrence)
            ?? self.line(scope: scope, key: key)
    }

    /// The collected errors ordered by line (stable, so same-line errors keep the order found).
    var sortedErrors: [ConfigError] {
        self.errors.enumerated().sorted { ($0.element.line, $0.offset) < ($1.element.line, $1.offset) }.map(\.element)
    }
}

/// Which table a key belongs to: the root, a `[table]`, or one element of an `[[array]]`.
struct Scope: Sendable, Equatable {
    /// Table name ("" for the root).
    var table: String
    /// Element number for arrays of tables, nil otherwise.
    var index: Int?

    /// The root table.
    static let root = Scope(table: "", index: nil)

    /// How messages name `key` here: `[server].workers`, `[[site]].hosts`, or a bare root key.
    func label(_ key: String?) -> String {
        let table = self.table.isEmpty ? "" : (self.index == nil ? "[\(self.table)]" : "[[\(self.table)]]")
        guard let key else { return table }
        return table.isEmpty ? key : "\(table).\(key)"
    }
}
