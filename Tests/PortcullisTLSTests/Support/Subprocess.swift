import Foundation

/// What a finished (or killed) child process left behind.
struct SubprocessResult {
    var status: Int32
    var output: String
    var timedOut: Bool
}

/// Runs a program with stdin from /dev/null and stdout+stderr into a file, killed at the deadline.
enum Subprocess {
    /// Runs `arguments[0]` (looked up in /usr/bin) with the rest as arguments, for at most `timeout` seconds.
    static func run(_ arguments: [String], timeout: Double = 10) throws -> SubprocessResult {
        let directory = try TemporaryDirectory()
        let outputPath = directory.file("output")
        _ = FileManager.default.createFile(atPath: outputPath, contents: nil)
        let output = try FileHandle(forWritingTo: URL(fileURLWithPath: outputPath))
        defer { try? output.close() }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/" + arguments[0])
        process.arguments = Array(arguments.dropFirst())
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = output
        process.standardError = output
        try process.run()
        let deadline = Date().addingTimeInterval(timeout)
        while process.isRunning && Date() < deadline { usleep(10_000) }
        let timedOut = process.isRunning
        if timedOut {
            process.terminate()
            process.waitUntilExit()
        }
        let text = String(decoding: FileManager.default.contents(atPath: outputPath) ?? Data(), as: UTF8.self)
        return SubprocessResult(status: process.terminationStatus, output: text, timedOut: timedOut)
    }
}
