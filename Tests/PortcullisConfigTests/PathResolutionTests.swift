import Testing

@testable import PortcullisConfig

/// Relative paths in `proxy.conf` are relative to the file's folder, not to the working directory.
@Suite struct PathResolutionTests {
    /// `state_dir` as written, the config path as given, and the absolute state directory expected,
    /// with the working directory fixed at `/srv/portcullis`.
    @Test(arguments: [
        ("state", "proxy.conf", "/srv/portcullis/state"),
        ("state", "conf/proxy.conf", "/srv/portcullis/conf/state"),
        ("../var/state", "conf/proxy.conf", "/srv/portcullis/var/state"),
        ("./state/", "/etc/portcullis/proxy.conf", "/etc/portcullis/state"),
        ("/var/lib/portcullis", "conf/proxy.conf", "/var/lib/portcullis"),
        ("../../../../x", "/etc/proxy.conf", "/x"),
    ])
    func resolvesStateDir(_ stateDir: String, _ configPath: String, _ expected: String) throws {
        let text = "[server]\nstate_dir = \"\(stateDir)\"\n" + Fixtures.listenerAndSite
        let config = try ConfigLoader.parse(text: text, path: configPath, options: Fixtures.options)
        #expect(config.server.stateDir == expected)
    }

    /// Without `state_dir` the default `state` sits next to the file.
    @Test func defaultStateDir() throws {
        let config = try ConfigLoader.parse(text: Fixtures.listenerAndSite, path: "/etc/p/proxy.conf")
        #expect(config.server.stateDir == "/etc/p/state")
    }

    /// `access_log` keeps `stdout` and `off`, and resolves anything else like `state_dir`.
    @Test(arguments: [("stdout", "stdout"), ("off", "off"), ("logs/access.log", "/etc/p/logs/access.log")])
    func resolvesAccessLog(_ value: String, _ expected: String) throws {
        let text = "[server]\naccess_log = \"\(value)\"\n" + Fixtures.listenerAndSite
        let config = try ConfigLoader.parse(text: text, path: "/etc/p/proxy.conf")
        #expect(config.server.accessLog == expected)
    }

    /// Lexical normalisation.
    @Test(arguments: [("/a/./b//c/", "/a/b/c"), ("/a/b/../c", "/a/c"), ("/..", "/"), ("/", "/")])
    func normalizes(_ path: String, _ expected: String) {
        #expect(PathResolution.normalize(path) == expected)
    }
}
