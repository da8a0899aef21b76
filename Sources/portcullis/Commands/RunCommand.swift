import ArgumentParser
import Foundation
import Logging
import PortcullisConfig
import PortcullisServer

/// `portcullis run`: start the proxy and serve until SIGTERM/SIGINT.
struct RunCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "run", abstract: "Start the proxy.")

    @Option(name: .long, help: "Path to proxy.conf.")
    var config = "proxy.conf"

    @Option(name: .long, help: "Write listener ports as JSON to this file once listening (for tests and scripts).")
    var readyFile: String?

    func run() throws {
        let level = (try? ConfigLoader.load(path: self.config)).flatMap { Logger.Level(rawValue: $0.server.logLevel) } ?? .info
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = level
            return handler
        }
        let logger = Logger(label: "portcullis")
        let server: ProxyServer
        do {
            server = try ProxyServer(configPath: self.config, readyFile: self.readyFile, logger: logger)
        } catch {
            FileHandle.standardError.write(Data("portcullis: \(error)\n".utf8))
            throw ExitCode(1)
        }
        let code = try server.run()
        if code != 0 { throw ExitCode(code) }
    }
}
