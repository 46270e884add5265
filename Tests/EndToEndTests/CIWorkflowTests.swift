import Foundation
import Testing
import MNISTNetwork
import TestSupport
import XMLSchemaSupport

/// scripts/ci/github-actions.yml and scripts/ci/gitlab-ci.yml, run as far as
/// this machine allows: every shell command of the job runs, in order, in a
/// scratch clone of a scratch repository whose `main` holds the baseline
/// weights, with the built mnist-eval. What needs the CI service or the
/// network is simulated and says so: `apt-get` (no network) and `swift
/// build` (the test's own build is linked as `.build/release/mnist-eval`);
/// `uses:` steps (GitHub's actions) are listed, not run. The files the job
/// leaves for the CI system are then checked: the JUnit XML against the
/// Jenkins schema (libxml2), the summary, the picture.
@Suite(.serialized) struct CIWorkflowTests {
    static let git = ["/usr/bin/git", "/usr/local/bin/git"].first { FileManager.default.isExecutableFile(atPath: $0) }

    // MARK: Reading the jobs' commands

    /// A GitHub Actions step: its name, and its `run:` script or its `uses:` action.
    struct Step: Equatable {
        var name: String?
        var run: String?
        var uses: String?
    }

    static func lines(_ path: String) throws -> [Substring] {
        try String(contentsOfFile: Repository.root + "/" + path, encoding: .utf8).split(separator: "\n", omittingEmptySubsequences: false)
    }

    static func indentation(_ line: Substring) -> Int { line.prefix { $0 == " " }.count }

    /// A block scalar's lines after `index` (more indented than `parent`),
    /// literal (`|`) or folded (`>`), as YAML reads them (clip chomping).
    static func block(_ lines: [Substring], after index: Int, parent: Int, folded: Bool) -> (String, Int) {
        var body: [Substring] = []
        var next = index + 1
        while next < lines.count, lines[next].allSatisfy({ $0 == " " }) || indentation(lines[next]) > parent {
            body.append(lines[next])
            next += 1
        }
        while let last = body.last, last.allSatisfy({ $0 == " " }) { body.removeLast() }
        let indent = body.map(indentation).min() ?? 0
        let text = body.map { String($0.dropFirst(min(indent, $0.count))) }
        return ((folded ? text.joined(separator: " ") : text.joined(separator: "\n")) + "\n", next)
    }

    /// The steps of the workflow's one job (keys `name`, `run`, `uses`).
    static func githubSteps() throws -> [Step] {
        let lines = try lines("scripts/ci/github-actions.yml")
        guard let start = lines.firstIndex(where: { $0.trimmingCharacters(in: .whitespaces) == "steps:" }) else { return [] }
        let itemIndent = indentation(lines[start + 1])
        var steps: [Step] = []
        var index = start + 1
        let stepKeyIndent = itemIndent + 2
        while index < lines.count {
            let line = lines[index]
            if line.trimmingCharacters(in: .whitespaces).isEmpty { index += 1; continue }
            guard indentation(line) >= itemIndent else { break }
            var content = line.dropFirst(indentation(line))
            if indentation(line) == itemIndent && content.hasPrefix("- ") {
                steps.append(Step())
                content = content.dropFirst(2)
            }
            let keyIndent = line.count - content.count
            // Only the step's own keys; `with:` and the like nest deeper.
            guard keyIndent == stepKeyIndent, let colon = content.firstIndex(of: ":") else { index += 1; continue }
            let key = content[..<colon], value = content[content.index(after: colon)...].trimmingCharacters(in: .whitespaces)
            var text = value
            if value == "|" || value == ">" {
                let (body, next) = block(lines, after: index, parent: keyIndent, folded: value == ">")
                (text, index) = (body, next)
            } else {
                index += 1
            }
            switch key {
            case "name": steps[steps.count - 1].name = text
            case "run": steps[steps.count - 1].run = text
            case "uses": steps[steps.count - 1].uses = text
            default: break
            }
        }
        return steps
    }

    /// The job's `before_script` and `script` items, in order.
    static func gitlabCommands() throws -> [String] {
        let lines = try lines("scripts/ci/gitlab-ci.yml")
        var commands: [String] = []
        for section in ["before_script:", "script:"] {
            guard let start = lines.firstIndex(where: { $0.trimmingCharacters(in: .whitespaces) == section }) else { continue }
            let parent = indentation(lines[start])
            var index = start + 1
            while index < lines.count, indentation(lines[index]) > parent, lines[index].dropFirst(indentation(lines[index])).hasPrefix("- ") {
                let value = lines[index].dropFirst(indentation(lines[index]) + 2).trimmingCharacters(in: .whitespaces)
                if value == "|" || value == ">" {
                    let (body, next) = block(lines, after: index, parent: indentation(lines[index]), folded: value == ">")
                    commands.append(body)
                    index = next
                } else {
                    commands.append(value)
                    index += 1
                }
            }
        }
        return commands
    }

    @Test func theJobsHaveTheCommandsThisTestRuns() throws {
        let steps = try Self.githubSteps()
        #expect(steps.compactMap(\.uses) == ["actions/checkout@v4", "mikepenz/action-junit-report@v4", "actions/upload-artifact@v4"])
        #expect(steps.compactMap(\.name) == ["Install the C libraries", "Build", "Baseline weights from the target branch", "Gate",
                                             "Test results", "Regressed images and predictions"])
        let gate = try #require(steps.first { $0.name == "Gate" }?.run)
        for option in ["--baseline-weights", "--max-drop 0.002", "--min-recall 0.97", "--junit mnist-eval-junit.xml",
                       "--summary \"$GITHUB_STEP_SUMMARY\""] {
            #expect(gate.contains(option), "\(option)")
        }
        let gitlab = try Self.gitlabCommands()
        #expect(gitlab.count == 5)
        #expect(gitlab.last?.hasPrefix(".build/release/mnist-eval Data/t10k-images-idx3-ubyte.gz --weights ") == true)
        #expect(gitlab.last?.contains(" --junit mnist-eval-junit.xml ") == true)
        #expect(try String(contentsOfFile: Repository.root + "/scripts/ci/gitlab-ci.yml", encoding: .utf8)
            .contains("    reports:\n      junit: mnist-eval-junit.xml\n"))
    }

    static let pyYAML: Bool = {
        guard let python = ["/usr/bin/python3", "/usr/local/bin/python3"].first(where: { FileManager.default.isExecutableFile(atPath: $0) })
        else { return false }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: python)
        process.arguments = ["-c", "import yaml"]
        process.standardError = Pipe()
        guard (try? process.run()) != nil else { return false }
        process.waitUntilExit()
        return process.terminationStatus == 0
    }()

    /// The reader above knows only the YAML these files use; PyYAML, where
    /// installed, reads them as CI services do, and must find the same commands.
    @Test(.enabled(if: pyYAML, "python3 with PyYAML is not installed")) func aYAMLParserFindsTheSameCommands() throws {
        let script = """
            import json, sys, yaml
            github = yaml.safe_load(open(sys.argv[1]))
            gitlab = yaml.safe_load(open(sys.argv[2]))
            steps = next(iter(github["jobs"].values()))["steps"]
            job = next(iter(gitlab.values()))
            print(json.dumps({"github": [[s.get("name"), s.get("run"), s.get("uses")] for s in steps],
                              "gitlab": job.get("before_script", []) + job["script"]}))
            """
        let out = try CommandRunner.run(program: "/usr/bin/env", ["python3", "-c", script, Repository.root + "/scripts/ci/github-actions.yml",
                                                             Repository.root + "/scripts/ci/gitlab-ci.yml"])
        #expect(out.status == 0, "\(out.stderr)")
        let parsed = try #require(try JSONSerialization.jsonObject(with: Data(out.stdout.utf8)) as? [String: Any])
        let github = try #require(parsed["github"] as? [[Any]]).map { Step(name: $0[0] as? String, run: $0[1] as? String, uses: $0[2] as? String) }
        #expect(github == (try Self.githubSteps()))
        #expect(parsed["gitlab"] as? [String] == (try Self.gitlabCommands()))
    }

    // MARK: Running them

    /// A scratch repository whose `main` has a slightly different network
    /// (the shipped weights with input mean 0.01: on t10k 11 images right
    /// that the shipped network gets wrong and 10 the other way, noise),
    /// cloned and moved to a branch with the shipped weights: the pull
    /// request. The images are the shipped test set.
    final class Sandbox: Sendable {
        let folder: Fixture
        let clone: String
        let tools: String
        let home: String

        init() throws {
            folder = Fixture()
            let origin = folder.file("origin")
            clone = folder.file("clone")
            tools = folder.file("tools")
            home = folder.file("home")
            for directory in [origin + "/Data", tools, home] {
                try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            }
            for name in ["t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz"] {
                try FileManager.default.copyItem(atPath: Repository.root + "/Data/" + name, toPath: origin + "/Data/" + name)
            }
            var baseline = try Network.load(path: Repository.root + "/Data/mnist-784-100-10.safetensors").network
            baseline.inputMean = 0.01
            try baseline.save(to: origin + "/Data/mnist-784-100-10.safetensors")
            try git(["init", "-q", "-b", "main"], in: origin)
            try git(["add", "Data"], in: origin)
            try git(["commit", "-q", "-m", "baseline"], in: origin)
            try git(["clone", "-q", "file://" + origin, clone], in: folder.path)
            try git(["checkout", "-q", "-b", "candidate"], in: clone)
            try FileManager.default.removeItem(atPath: clone + "/Data/mnist-784-100-10.safetensors")
            try FileManager.default.copyItem(atPath: Repository.root + "/Data/mnist-784-100-10.safetensors",
                                             toPath: clone + "/Data/mnist-784-100-10.safetensors")
            try git(["commit", "-q", "-a", "-m", "candidate"], in: clone)
            // What this machine cannot do, simulated, saying so on stdout.
            try tool("apt-get", "echo \"(CIWorkflowTests: apt-get $* skipped: no network here)\"")
            try tool("swift", """
                [ "$1" = build ] || { echo "CIWorkflowTests: only 'swift build' is simulated" >&2; exit 2; }
                mkdir -p .build/release
                ln -sf '\(CommandRunner.executable("mnist-eval"))' .build/release/mnist-eval
                echo "(CIWorkflowTests: swift $* simulated: linked the tests' mnist-eval)"
                """)
        }

        func tool(_ name: String, _ body: String) throws {
            let path = tools + "/" + name
            try Data("#!/bin/sh\n\(body)\n".utf8).write(to: URL(fileURLWithPath: path))
            try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: path)
        }

        /// The environment of a job: the tools first on PATH, a HOME of its own
        /// (`git config --global` must not touch this machine's).
        func environment(_ extra: [String: String]) -> [String: String] {
            var environment = ProcessInfo.processInfo.environment
            environment["PATH"] = tools + ":" + (environment["PATH"] ?? "/usr/bin:/bin")
            environment["HOME"] = home
            environment["GIT_CONFIG_NOSYSTEM"] = "1"
            environment["GIT_AUTHOR_NAME"] = "CI test"
            environment["GIT_AUTHOR_EMAIL"] = "ci@example.com"
            environment["GIT_COMMITTER_NAME"] = "CI test"
            environment["GIT_COMMITTER_EMAIL"] = "ci@example.com"
            environment["CI"] = "true"
            return environment.merging(extra) { $1 }
        }

        func git(_ arguments: [String], in directory: String) throws {
            let out = try CommandRunner.run(program: CIWorkflowTests.git!, arguments, in: directory, environment: environment([:]))
            guard out.status == 0 else { throw CIError(message: "git \(arguments.joined(separator: " ")): \(out.stderr)") }
        }

        /// `script` as the CI service runs it: bash, stopping at the first failure.
        func run(_ script: String, _ extra: [String: String]) throws -> CommandRunner.Output {
            try CommandRunner.run(program: "/bin/bash", ["--noprofile", "--norc", "-eo", "pipefail", "-c", script], in: clone,
                                      environment: environment(extra))
        }
    }

    struct CIError: Error, CustomStringConvertible { let message: String; var description: String { message } }

    /// The files the job leaves: JUnit XML with a case per gate and digit and
    /// no failure, valid against the Jenkins schema; the
    /// summary; the regressed images.
    func checkOutputs(_ sandbox: Sandbox, summary: String) throws {
        let junit = try String(contentsOfFile: sandbox.clone + "/mnist-eval-junit.xml", encoding: .utf8)
        #expect(junit.contains("<testsuite name=\"mnist-eval\" tests=\"11\" failures=\"0\" errors=\"0\" skipped=\"0\""))
        #expect(junit.components(separatedBy: "<testcase ").count == 12)
        #expect(junit.contains("<property name=\"baseline\" value=\"baseline.safetensors\"/>"))
        #expect(try XMLSchema.firstError(in: junit) == nil)
        let markdown = try String(contentsOfFile: summary, encoding: .utf8)
        #expect(markdown.hasPrefix("### mnist-eval: all 11 gates passed ✅\n"))
        #expect(markdown.contains("\n#### Compared with the baseline\n\nBaseline `baseline.safetensors` (weights, evaluated in the same pass).\n"))
        let png = try Data(contentsOf: URL(fileURLWithPath: sandbox.clone + "/regressions.png"))
        #expect(png.prefix(4) == Data([0x89, 0x50, 0x4E, 0x47]))
        let predictions = try String(contentsOfFile: sandbox.clone + "/predictions.csv", encoding: .utf8)
        #expect(predictions.split(separator: "\n").count == 10_001)
    }

    @Test(.enabled(if: git != nil, "git is not installed")) func theGitHubWorkflowRuns() throws {
        let sandbox = try Sandbox()
        let summary = sandbox.folder.file("step-summary.md")
        let environment = ["GITHUB_STEP_SUMMARY": summary, "GITHUB_BASE_REF": "main", "GITHUB_WORKSPACE": sandbox.clone,
                           "GITHUB_ACTIONS": "true"]
        var log = ""
        for step in try Self.githubSteps() {
            guard let script = step.run else { continue }  // a `uses:` action runs on GitHub only
            let out = try sandbox.run(script, environment)
            log += "== \(step.name ?? "")\n\(out.stdout)\(out.stderr)"
            #expect(out.status == 0, "step \(step.name ?? script): \(out.stderr)")
            guard out.status == 0 else { break }
        }
        #expect(log.contains("(CIWorkflowTests: swift build -c release --product mnist-eval simulated"))
        #expect(log.contains("\n  regressions   2 (right before, wrong now)\n  fixes         4 (wrong before, right now)\n"), "\(log)")
        #expect(log.contains("\ncompared with baseline\n  baseline      baseline.safetensors (784-100-10, relu, mean 0.01, std 1.0)\n"), "\(log)")
        try checkOutputs(sandbox, summary: summary)
    }

    @Test(.enabled(if: git != nil, "git is not installed")) func theGitLabJobRuns() throws {
        let sandbox = try Sandbox()
        let environment = ["CI_MERGE_REQUEST_TARGET_BRANCH_NAME": "main", "CI_DEFAULT_BRANCH": "main",
                           "CI_PROJECT_DIR": sandbox.clone, "GITLAB_CI": "true", "CI_PIPELINE_SOURCE": "merge_request_event"]
        // GitLab runs before_script and script in one shell, stopping at the first failure.
        let out = try sandbox.run(try Self.gitlabCommands().joined(separator: "\n"), environment)
        #expect(out.status == 0, "\(out.stdout)\(out.stderr)")
        #expect(out.stdout.contains("(CIWorkflowTests: apt-get update skipped: no network here)"))
        #expect(out.stdout.contains("\ngates (all 11 passed)\n"))
        try checkOutputs(sandbox, summary: sandbox.clone + "/mnist-eval-summary.md")
    }
}
