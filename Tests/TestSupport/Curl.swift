import Foundation

/// The outcome of one curl transfer (the last one, when curl followed several URLs).
public struct CurlResult: Sendable {
    /// HTTP status, 0 when no response arrived.
    public let status: Int
    /// Headers of the final response.
    public let headers: [HTTPField]
    public let body: [UInt8]
    public let exitCode: Int32
    public let stderr: String
    /// One `-w` line per transfer: "status num_connects size_download".
    public let transfers: [(status: Int, newConnections: Int, bytes: Int)]

    public var bodyText: String { String(decoding: self.body, as: UTF8.self) }
    public func header(_ name: String) -> String? { self.headers.first(name) }
}

/// Runs the `curl` binary with a deadline: `-sS -k --http1.1`, body and headers to temp files.
public enum Curl {
    /// `https://host:port/path`, with `--resolve host:port:127.0.0.1` so SNI and Host are `host`.
    public static func https(
        host: String, port: UInt16, path: String = "/", _ arguments: [String] = [], within seconds: Double = 15,
        file: StaticString = #filePath, line: UInt = #line
    ) async throws -> CurlResult {
        try await self.run(
            ["--resolve", "\(host):\(port):127.0.0.1", "https://\(host):\(port)\(path)"] + arguments,
            within: seconds, file: file, line: line)
    }

    /// `http://127.0.0.1:port/path` with `Host: host`.
    public static func http(
        host: String, port: UInt16, path: String = "/", _ arguments: [String] = [], within seconds: Double = 15,
        file: StaticString = #filePath, line: UInt = #line
    ) async throws -> CurlResult {
        try await self.run(["http://127.0.0.1:\(port)\(path)", "-H", "Host: \(host)"] + arguments, within: seconds, file: file, line: line)
    }

    /// Raw arguments (URLs included). `bodyFile` keeps the body on disk instead of in memory: pass a
    /// path for large downloads and the result's `body` is empty.
    public static func run(
        _ arguments: [String], bodyFile: String? = nil, within seconds: Double = 15,
        file: StaticString = #filePath, line: UInt = #line
    ) async throws -> CurlResult {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("curl-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let headerPath = dir + "/headers", bodyPath = bodyFile ?? dir + "/body"
        let args =
            ["-sS", "-k", "--http1.1", "--max-time", String(Int(seconds.rounded(.up))), "-D", headerPath, "-o", bodyPath]
            + ["-w", "%{http_code} %{num_connects} %{size_download}\\n"] + arguments
        let child = try ChildProcess("curl", args)
        defer { child.kill() }
        let code = try await child.waitForExit(within: seconds + 5, file: file, line: line)
        let transfers = child.stdoutText.split(separator: "\n").map { line -> (Int, Int, Int) in
            let f = line.split(separator: " ").map { Int($0) ?? 0 }
            return (f.count > 0 ? f[0] : 0, f.count > 1 ? f[1] : 0, f.count > 2 ? f[2] : 0)
        }
        let headerText = (try? String(contentsOfFile: headerPath, encoding: .utf8)) ?? ""
        let body = bodyFile == nil ? (FileManager.default.contents(atPath: bodyPath).map { Array($0) } ?? []) : []
        return CurlResult(
            status: transfers.last?.0 ?? 0, headers: Self.lastHeaderBlock(headerText), body: body,
            exitCode: code, stderr: child.stderrText, transfers: transfers)
    }

    static func lastHeaderBlock(_ text: String) -> [HTTPField] {
        let blocks = text.components(separatedBy: "\r\n\r\n").filter { !$0.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty }
        guard let last = blocks.last else { return [] }
        return last.components(separatedBy: "\r\n").dropFirst().compactMap { line in
            let kv = line.split(separator: ":", maxSplits: 1)
            guard kv.count == 2 else { return nil }
            return HTTPField(String(kv[0]), kv[1].trimmingCharacters(in: .whitespaces))
        }
    }
}
