/// One problem found in a configuration file, located by file, line and key.
///
/// `description` is the sentence shown to the operator, in the `FILE:LINE: KEY: message` shape that
/// `portcullis validate` prints, e.g.
/// `proxy.conf:14: [[site]].hosts: expected an array of host names, found a string`.
public struct ConfigError: Error, Sendable, Equatable, Hashable, CustomStringConvertible {
    /// The configuration file's path, as given to the loader.
    public var file: String
    /// 1-based line number; 0 when the problem concerns the file as a whole (for example, unreadable).
    public var line: Int
    /// The key in `[table].key` / `[[array]].key` form; empty for syntax errors and file-level problems.
    public var key: String
    /// What was expected and what was found.
    public var message: String

    /// Creates an error; see the properties for the meaning of each field.
    public init(file: String, line: Int, key: String, message: String) {
        self.file = file
        self.line = line
        self.key = key
        self.message = message
    }

    /// `FILE:LINE: KEY: message`, leaving out the line when it is 0 and the key when it is empty.
    public var description: String {
        var text = self.file
        if self.line > 0 { text += ":\(self.line)" }
        text += ": "
        if !self.key.isEmpty { text += "\(self.key): " }
        return text + self.message
    }
}

/// Every problem found while loading one configuration file, in line order.
public struct ConfigErrors: Error, Sendable, Equatable, CustomStringConvertible {
    /// The individual problems; never empty when thrown.
    public var errors: [ConfigError]

    /// Wraps a list of problems.
    public init(_ errors: [ConfigError]) {
        self.errors = errors
    }

    /// One `FILE:LINE: KEY: message` line per problem.
    public var description: String {
        self.errors.map(\.description).joined(separator: "\n")
    }
}
