// Shared by the import targets: the importer reads files, so each input is written to a private folder.
import Glibc

/// A folder of this process's own under /tmp, made once.
let fuzzFolder: String = {
    let path = "/tmp/portcullis-fuzz-\(getpid())"
    _ = mkdir(path, 0o700)
    return path
}()

/// Writes `bytes` to `name` in `fuzzFolder` (replacing it) and returns the path.
func fuzzWrite(_ bytes: [UInt8], as name: String) -> String {
    let path = fuzzFolder + "/" + name
    let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
    fuzzCheck(fd >= 0, "cannot write \(path)")
    var written = 0
    while written < bytes.count {
        let n = bytes.withUnsafeBytes { write(fd, $0.baseAddress! + written, $0.count - written) }
        fuzzCheck(n > 0, "short write to \(path)")
        written += n
    }
    close(fd)
    return path
}
