import PortcullisConfig
import Testing

/// `[tls] expiry_webhook` and `expiry_command`: decoded when valid, located errors otherwise.
@Suite struct ExpiryConfigTests {
    static let rest = "\n[[listener]]\nbind = \"127.0.0.1:8443\"\ntls = true\n\n[[site]]\nhosts = [\"a.test\"]\nrespond = \"x\"\n"

    @Test func keysAreDecoded() throws {
        let text = "[tls]\nexpiry_webhook = \"http://127.0.0.1:9000/hook\"\nexpiry_command = \"logger expiring\"\n" + Self.rest
        let config = try ConfigLoader.parse(text: text, path: "/tmp/proxy.conf")
        #expect(config.tls.expiryWebhook == "http://127.0.0.1:9000/hook")
        #expect(config.tls.expiryCommand == "logger expiring")
        let defaults = try ConfigLoader.parse(text: Self.rest, path: "/tmp/proxy.conf")
        #expect(defaults.tls.expiryWebhook == nil && defaults.tls.expiryCommand == nil)
    }

    @Test func httpsWebhookIsRefusedWithItsLine() {
        let text = "[tls]\nexpiry_webhook = \"https://hooks.example/x\"\n" + Self.rest
        #expect {
            _ = try ConfigLoader.parse(text: text, path: "/tmp/proxy.conf")
        } throws: { error in
            "\(error)".contains("/tmp/proxy.conf:2: [tls].expiry_webhook: expected an http:// URL")
        }
    }
}
