/// Turns paths written in `proxy.conf` into absolute paths, relative to the folder holding the file.
///
/// Purely lexical: nothing is looked up on disk, so `validate` gives the same answer on any machine and
/// symlinks stay as written.
enum PathResolution {
    /// Absolute folder of the configuration file at `configPath`, given the process's working directory.
    static func directory(ofConfig configPath: String, workingDirectory: String) -> String {
        let absolute = self.resolve(configPath, against: workingDirectory)
        guard let slash = absolute.lastIndex(of: "/"), slash != absolute.startIndex else { return "/" }
        return String(absolute[..<slash])
    }

    /// `path` if absolute, else `path` under `directory`; `.` and `..` removed either way.
    static func resolve(_ path: String, against directory: String) -> String {
        self.normalize(path.hasPrefix("/") ? path : directory + "/" + path)
    }

    /// Removes empty and `.` components and applies `..` (never above `/`).
    static func normalize(_ path: String) -> String {
        var components: [Substring] = []
        for component in path.split(separator: "/") {
            switch component {
            case ".": continue
            case "..": _ = components.popLast()
            default: components.append(component)
            }
        }
        return "/" + components.joined(separator: "/")
    }
}
