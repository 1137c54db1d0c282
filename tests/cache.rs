//! The cache between runs is only a speed-up: with it, whatever it holds
//! (nothing, every file as it is, files since edited, added, deleted,
//! renamed, touched, a configuration changed, damaged bytes, a directory
//! that cannot be written), every run prints the same bytes and exits with
//! the same code as a run with `--no-cache`. It holds no credential in
//! clear, is readable by the user only, survives runs at once, and is
//! neither written with `--no-cache` nor with `cache = false`.
//!
//! Each test gives the binary its own cache directory (PHONELINT_CACHE_DIR).
//! A file gets an entry only once its timestamps are settled (100 ms after
//! a change on these file systems), so the tests wait that long after
//! changing files when they mean the cache to be used.

mod common;

use std::path::{Path, PathBuf};
use std::time::Duration;

use common::{copy_dir, phonelint, root};
use phonelint::rules::Scope;

/// A repository whose rules across files compare credentials: the example
/// repository (a syntax error, JSON and TOML, a file that is no
/// definition), an alias whose members have different passwords and
/// phones that share a voicemail box with different PINs, in files of
/// their own.
fn repository() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    copy_dir(&root().join("fixtures/example"), dir.path());
    for (rule, files) in [
        (
            "alias-mixed-passwords",
            &["aliases.json", "floor2.json", "phones.toml"][..],
        ),
        ("shared-voicemail-mismatch", &["floor1.toml", "floor2.json"]),
    ] {
        let from = root().join("fixtures/rules").join(rule).join("bad");
        let to = dir.path().join(rule);
        std::fs::create_dir_all(&to).unwrap();
        for file in files {
            std::fs::copy(from.join(file), to.join(file)).unwrap();
        }
    }
    dir
}

/// Lets every file's timestamps settle, so that the next run may keep it.
fn settle() {
    std::thread::sleep(Duration::from_millis(250));
}

/// One run's exit code, stdout and stderr.
type Run = (Option<i32>, String, String);

fn run(cwd: &Path, cache: &Path, args: &[&str]) -> Run {
    let output = phonelint()
        .current_dir(cwd)
        .env("PHONELINT_CACHE_DIR", cache)
        .env_remove("PHONELINT_TIMINGS")
        .args(args)
        .output()
        .unwrap();
    (
        output.status.code(),
        String::from_utf8_lossy(&output.stdout).into_owned(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

/// What the cache did in a run of `args`: (files taken from it instead of
/// being read, new entries written).
fn cache_use(cwd: &Path, cache: &Path, args: &[&str]) -> (usize, usize) {
    cache_use_if_any(cwd, cache, args)
        .unwrap_or_else(|stderr| panic!("no note of the cache:\n{stderr}"))
}

/// [`cache_use`], or stderr when the run used no cache (it read every
/// file: one file, or `[[allow]]` entries).
fn cache_use_if_any(cwd: &Path, cache: &Path, args: &[&str]) -> Result<(usize, usize), String> {
    let output = phonelint()
        .current_dir(cwd)
        .env("PHONELINT_CACHE_DIR", cache)
        .env("PHONELINT_TIMINGS", "1")
        .args(args)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    let Some(note) = stderr
        .lines()
        .find_map(|line| line.strip_prefix("phonelint: timing: note: cache: "))
    else {
        return Err(stderr.into_owned());
    };
    let number = |before: &str| -> usize {
        let head = note.split(before).next().unwrap();
        head.rsplit(' ').next().unwrap().parse().unwrap()
    };
    Ok((number(" files from the cache"), number(" new entries")))
}

/// The runs every state of the repository is checked with: a pre-commit
/// run on one file (TOML, JSON, with a syntax error, an alias), a run on a
/// directory, a run on the whole root, in JSON and human output.
fn runs() -> Vec<Vec<&'static str>> {
    let mut runs = Vec::new();
    for format in ["json", "human"] {
        for path in [
            "alias-mixed-passwords/phones.toml",
            "shared-voicemail-mismatch/floor2.json",
            "phones/broken.json",
            "aliases.toml",
            "phones",
            ".",
        ] {
            runs.push(vec!["--format", format, path]);
        }
    }
    runs
}

/// Every run gives with the cache what it gives without.
fn same_with_and_without(cwd: &Path, cache: &Path) {
    for args in runs() {
        let cached = run(cwd, cache, &args);
        let mut uncached_args = args.clone();
        uncached_args.push("--no-cache");
        let uncached = run(cwd, cache, &uncached_args);
        assert_eq!(cached, uncached, "phonelint {}", args.join(" "));
    }
}

#[test]
fn every_run_prints_the_same_with_and_without_the_cache() {
    let repo = repository();
    let root = repo.path();
    let cache_dir = tempfile::tempdir().unwrap();
    let cache = cache_dir.path().join("cache");
    let one = ["--format", "json", "alias-mixed-passwords/phones.toml"];
    // Cold: nothing to use, every file read.
    settle();
    let (used, new) = cache_use(root, &cache, &one);
    assert_eq!(used, 0);
    assert!(new > 8, "{new}");
    same_with_and_without(root, &cache);
    // Warm: every file not asked about taken from the cache.
    let (used, new) = cache_use(root, &cache, &one);
    assert_eq!(new, 0);
    assert!(used > 8, "{used}");
    // Findings across files reach cached files: they name them, and show
    // their text (read back) in human output.
    let (_, human, _) = run(
        root,
        &cache,
        &["--format", "human", "alias-mixed-passwords/phones.toml"],
    );
    assert!(
        human.contains("alias-mixed-passwords/floor2.json"),
        "{human}"
    );
    assert!(human.contains("\"cc120\""), "{human}");

    // Edited: another password, the same length.
    let floor2 = root.join("alias-mixed-passwords/floor2.json");
    let text = std::fs::read_to_string(&floor2).unwrap();
    std::fs::write(&floor2, text.replace("Tq4mZx81Kp", "Rr8xkq2Lw0")).unwrap();
    settle();
    let (_, new) = cache_use(root, &cache, &one);
    assert_eq!(new, 1, "the file edited");
    same_with_and_without(root, &cache);
    // Changed and its modification time set back: its change time tells.
    let modified = std::fs::metadata(&floor2).unwrap().modified().unwrap();
    std::thread::sleep(Duration::from_millis(20));
    std::fs::write(&floor2, text.replace("Tq4mZx81Kp", "Rr8xkq2Lw")).unwrap();
    let file = std::fs::File::options().write(true).open(&floor2).unwrap();
    file.set_modified(modified).unwrap();
    drop(file);
    settle();
    let (_, new) = cache_use(root, &cache, &one);
    assert_eq!(new, 1, "the file changed");
    same_with_and_without(root, &cache);

    // Added: a phone whose login another has, and a member of an alias.
    std::fs::write(
        root.join("phones/added.toml"),
        "[[phones]]\nextension = \"cc900\"\nserver_ip = \"10.10.10.15\"\n\
         login = \"cc100\"\npass = \"Rr8xkq2Lw\"\nvoicemail_id = \"8300\"\nactive = \"Y\"\n",
    )
    .unwrap();
    settle();
    same_with_and_without(root, &cache);
    // Renamed.
    std::fs::rename(
        root.join("phones/added.toml"),
        root.join("phones/renamed.toml"),
    )
    .unwrap();
    settle();
    same_with_and_without(root, &cache);
    // Deleted.
    std::fs::remove_file(root.join("phones/renamed.toml")).unwrap();
    std::fs::remove_file(root.join("shared-voicemail-mismatch/floor1.toml")).unwrap();
    settle();
    same_with_and_without(root, &cache);
    // Touched, unchanged.
    let servers = root.join("servers.toml");
    std::fs::write(&servers, std::fs::read(&servers).unwrap()).unwrap();
    settle();
    same_with_and_without(root, &cache);
    // The configuration changed: what is checked and how.
    std::fs::write(
        root.join("phonelint.toml"),
        "exclude = [\"shared-voicemail-mismatch/**\"]\n[rules]\nduplicate-login = \"warning\"\n",
    )
    .unwrap();
    settle();
    same_with_and_without(root, &cache);
    // From a directory below the root: other names, the same entries.
    let (used, _) = cache_use(
        &root.join("phones"),
        &cache,
        &["--format", "json", "floor1.toml"],
    );
    assert!(used > 5, "{used}");
    same_with_and_without(&root.join("phones"), &cache);
    // Standard input in place of a file.
    let stdin = |no_cache: bool| {
        let mut command = phonelint();
        command
            .current_dir(root)
            .env("PHONELINT_CACHE_DIR", &cache)
            .args(["--format", "json", "--stdin-filename", "phones/floor1.toml"])
            .write_stdin("[[phones]]\nextension = \"cc100\"\nlogin = \"cc100\"\n");
        if no_cache {
            command.arg("--no-cache");
        }
        let output = command.output().unwrap();
        (output.status.code(), output.stdout, output.stderr)
    };
    assert_eq!(stdin(false), stdin(true));
}

#[test]
fn a_damaged_or_unwritable_cache_is_ignored_silently() {
    let repo = repository();
    let root = repo.path();
    let cache_dir = tempfile::tempdir().unwrap();
    let cache = cache_dir.path().join("cache");
    settle();
    let args = ["--format", "json", "phones/floor1.toml"];
    let expected = run(root, &cache, &[&args[..], &["--no-cache"]].concat());
    assert_eq!(run(root, &cache, &args), expected);
    let files: Vec<PathBuf> = std::fs::read_dir(&cache)
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .filter(|path| path.extension().is_some_and(|e| e == "cache"))
        .collect();
    assert_eq!(files.len(), 1, "{files:?}");
    let good = std::fs::read(&files[0]).unwrap();
    // Damaged anywhere, cut short, emptied, replaced by noise: the same
    // output, and the cache written whole again.
    let damaged: Vec<Vec<u8>> = vec![
        Vec::new(),
        good[..good.len() / 2].to_vec(),
        good.iter().map(|b| b.wrapping_add(1)).collect(),
        [&good[..good.len() - 9], &[0u8; 9][..]].concat(),
        (0..100_000u32)
            .map(|n| (n.wrapping_mul(2_654_435_761) >> 24) as u8)
            .collect(),
    ];
    for bytes in damaged {
        std::fs::write(&files[0], &bytes).unwrap();
        assert_eq!(run(root, &cache, &args), expected);
        assert_eq!(std::fs::read(&files[0]).unwrap().len(), good.len());
    }
    // The key damaged: replaced, and the entries of the old one unused.
    std::fs::write(cache.join("key"), b"not a key").unwrap();
    assert_eq!(cache_use(root, &cache, &args).0, 0);
    assert_eq!(run(root, &cache, &args), expected);
    assert!(cache_use(root, &cache, &args).0 > 8);
    std::fs::write(cache.join("key"), b"not a key").unwrap();
    assert_eq!(run(root, &cache, &args), expected);
    // A file where the directory should be, a directory that cannot be
    // written: the same output.
    let file = cache_dir.path().join("a-file");
    std::fs::write(&file, "").unwrap();
    assert_eq!(run(root, &file, &args), expected);
    assert_eq!(run(root, &file.join("below"), &args), expected);
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let locked = cache_dir.path().join("locked");
        std::fs::create_dir(&locked).unwrap();
        std::fs::set_permissions(&locked, std::fs::Permissions::from_mode(0o500)).unwrap();
        assert_eq!(run(root, &locked, &args), expected);
        assert_eq!(run(root, &locked.join("below"), &args), expected);
    }
    // A disk that is full for every file written.
    #[cfg(unix)]
    full_disk(root, &cache_dir.path().join("fresh"), &args);
}

/// On a full disk, the cache is not written and the output is the same.
#[cfg(unix)]
fn full_disk(root: &Path, fresh: &Path, args: &[&str]) {
    let full = common::phonelint_on_a_full_disk(root, &[args, &["--no-cache"]].concat());
    let full_cached = std::process::Command::new("sh")
        .arg("-c")
        .arg("trap '' XFSZ; ulimit -f 0; exec \"$0\" \"$@\"")
        .arg(env!("CARGO_BIN_EXE_phonelint"))
        .args(args)
        .current_dir(root)
        .env("PHONELINT_CACHE_DIR", fresh)
        .env_remove("GITHUB_ACTIONS")
        .env_remove("GITHUB_STEP_SUMMARY")
        .output()
        .unwrap();
    // Nothing could be written there.
    assert!(std::fs::read_dir(fresh).unwrap().next().is_none());
    assert_eq!(
        (full.status.code(), &full.stdout, &full.stderr),
        (
            full_cached.status.code(),
            &full_cached.stdout,
            &full_cached.stderr
        )
    );
}

/// Every file under `dir`, as bytes.
fn contents(dir: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    let mut files = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            files.extend(contents(&path));
        } else {
            files.push((path.clone(), std::fs::read(&path).unwrap()));
        }
    }
    files
}

#[test]
fn the_cache_holds_no_credential_and_is_the_users_alone() {
    let repo = repository();
    let root = repo.path();
    let cache_dir = tempfile::tempdir().unwrap();
    let cache = cache_dir.path().join("a/cache");
    settle();
    run(root, &cache, &["--format", "json", "phones/floor1.toml"]);
    let (used, _) = cache_use(root, &cache, &["--format", "json", "phones/floor1.toml"]);
    assert!(used > 8, "{used}");
    // Every credential value of the repository, as written in it (but
    // those that are also the value of another column, as `cc150` is the
    // login of the phone whose pass it is).
    let (mut secrets, mut others) = (Vec::new(), Vec::new());
    for (_, bytes) in contents(root) {
        let text = String::from_utf8_lossy(&bytes);
        for line in text.lines() {
            let line = line.trim().trim_end_matches(',');
            let Some((key, value)) = line.split_once(" = ").or_else(|| line.split_once(": "))
            else {
                continue;
            };
            let (key, value) = (key.trim_matches('"'), value.trim_matches('"').to_owned());
            if ["pass", "conf_secret"].contains(&key) {
                secrets.push(value);
            } else {
                others.push(value);
            }
        }
    }
    secrets.retain(|secret| secret.len() >= 4 && !others.contains(secret));
    assert!(secrets.len() > 10, "{secrets:?}");
    assert!(secrets.iter().any(|s| s == "Tq4mZx81Kp"));
    let stored = contents(&cache);
    assert_eq!(stored.len(), 2, "a key and a cache file");
    for (path, bytes) in &stored {
        for secret in &secrets {
            assert!(
                !bytes.windows(secret.len()).any(|w| w == secret.as_bytes()),
                "{secret} in {}",
                path.display()
            );
        }
    }
    // But what is not a credential is there: the entries are not empty.
    let (_, file) = stored
        .iter()
        .find(|(p, _)| p.extension().is_some())
        .unwrap();
    assert!(file.windows(5).any(|w| w == b"cc120"));
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = |path: &Path| std::fs::metadata(path).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode(&cache), 0o700);
        assert_eq!(mode(&cache_dir.path().join("a")), 0o700);
        for (path, _) in &stored {
            assert_eq!(mode(path), 0o600, "{}", path.display());
        }
    }
    // Nothing written in the repository.
    let before: Vec<PathBuf> = contents(root).into_iter().map(|(p, _)| p).collect();
    assert!(
        before
            .iter()
            .all(|p| !p.to_string_lossy().contains("cache"))
    );
}

#[test]
fn no_cache_cache_false_and_the_whole_root_write_none() {
    let repo = repository();
    let root = repo.path();
    let cache_dir = tempfile::tempdir().unwrap();
    let cache = cache_dir.path().join("cache");
    let (code, _, _) = run(root, &cache, &["phones/floor1.toml", "--no-cache"]);
    assert_eq!(code, Some(1));
    assert!(!cache.exists());
    // A run on the whole root reads every file: no cache either.
    let (code, _, _) = run(root, &cache, &["."]);
    assert_eq!(code, Some(1));
    assert!(!cache.exists());
    let config = root.join("phonelint.toml");
    std::fs::write(&config, "cache = false\n").unwrap();
    let (code, _, _) = run(root, &cache, &["phones/floor1.toml"]);
    assert_eq!(code, Some(1));
    assert!(!cache.exists());
    // `phonelint config` says so.
    let (_, described, _) = run(root, &cache, &["config"]);
    assert!(described.contains("cache = false"), "{described}");
    std::fs::write(&config, "cache = \"no\"\n").unwrap();
    let (code, _, err) = run(root, &cache, &["phones/floor1.toml"]);
    assert_eq!(code, Some(2), "{err}");
    std::fs::write(&config, "cache = true\n").unwrap();
    run(root, &cache, &["phones/floor1.toml"]);
    assert!(cache.exists());
}

#[test]
fn runs_at_once_share_the_cache_without_harm() {
    let repo = repository();
    let root = repo.path().to_path_buf();
    let cache_dir = tempfile::tempdir().unwrap();
    let cache = cache_dir.path().join("cache");
    settle();
    let paths = [
        "alias-mixed-passwords/phones.toml",
        "phones/floor1.toml",
        "aliases.toml",
        "shared-voicemail-mismatch/floor2.json",
    ];
    let expected: Vec<Run> = (paths.iter())
        .map(|path| run(&root, &cache, &["--format", "json", path, "--no-cache"]))
        .collect();
    for _ in 0..3 {
        std::thread::scope(|scope| {
            let handles: Vec<_> = (0..8)
                .map(|n| {
                    let (root, cache) = (&root, &cache);
                    scope.spawn(move || {
                        let path = paths[n % paths.len()];
                        (
                            n % paths.len(),
                            run(root, cache, &["--format", "json", path]),
                        )
                    })
                })
                .collect();
            for handle in handles {
                let (which, got) = handle.join().unwrap();
                assert_eq!(got, expected[which], "{}", paths[which]);
            }
        });
    }
    // Whichever run wrote last, the cache is whole and used.
    let (used, new) = cache_use(&root, &cache, &["--format", "json", paths[0]]);
    assert_eq!(new, 0);
    assert!(used > 8);
    let leftovers: Vec<String> = std::fs::read_dir(&cache)
        .unwrap()
        .map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|name| name.ends_with(".tmp"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

/// The definition files under `dir`, relative to it, `/`-separated.
fn definitions(dir: &Path) -> Vec<String> {
    let mut found = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(at) = stack.pop() {
        for entry in std::fs::read_dir(&at).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|e| e == "toml" || e == "json")
                && path
                    .file_name()
                    .is_some_and(|name| name != "phonelint.toml")
            {
                let relative = path.strip_prefix(dir).unwrap();
                found.push(relative.to_string_lossy().replace('\\', "/"));
            }
        }
    }
    found.sort();
    found
}

/// Asks about each definition file of `root` on its own, in each of
/// `formats`, with the cache warm and without it: the same.
fn each_file_the_same_with_and_without(root: &Path, cache: &Path, formats: &[&str]) -> usize {
    let files = definitions(root);
    settle();
    let mut used = 0;
    for (n, file) in files.iter().enumerate() {
        if n == 0 {
            // Warm: every file gets its entry.
            run(root, cache, &["--format", "json", file]);
            used = cache_use_if_any(root, cache, &["--format", "json", file])
                .map_or(0, |(used, _)| used);
        }
        for format in formats {
            let args = ["--format", format, file.as_str()];
            let cached = run(root, cache, &args);
            let uncached = run(root, cache, &[&args[..], &["--no-cache"]].concat());
            assert_eq!(
                cached,
                uncached,
                "{}: phonelint {}",
                root.display(),
                args.join(" ")
            );
        }
    }
    used
}

/// A run reads of the cache only the files whose records the rules across
/// files may need to judge the files asked about: asked about one at a
/// time, the files of the fixtures of every rule across files and of the
/// policy (each with its own configuration), and of every rule's bad
/// fixtures in one repository (records of one fixture clash with
/// another's), give the same with the cache as without.
#[test]
fn each_file_of_every_rule_fixture_alone_is_the_same_with_and_without_the_cache() {
    let cache_dir = tempfile::tempdir().unwrap();
    let cache = cache_dir.path().join("cache");
    let together = tempfile::tempdir().unwrap();
    std::fs::write(together.path().join("phonelint.toml"), "").unwrap();
    let mut fixtures: Vec<PathBuf> = std::fs::read_dir(root().join("fixtures/rules"))
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .filter(|path| path.is_dir())
        .collect();
    fixtures.sort();
    let mut used = 0;
    for rule in &fixtures {
        // Alone, the fixtures of the rules across files and of the policy;
        // in the one repository, every rule's.
        let name = rule.file_name().unwrap().to_string_lossy();
        let alone = phonelint::rules::find(&name)
            .is_none_or(|rule| !matches!(rule.meta().scope, Scope::File | Scope::Record));
        for which in ["bad", "clean"] {
            let from = rule.join(which);
            if !from.join("phonelint.toml").is_file() {
                continue;
            }
            if alone {
                let dir = tempfile::tempdir().unwrap();
                copy_dir(&from, dir.path());
                used += each_file_the_same_with_and_without(dir.path(), &cache, &["json"]);
            }
            if which == "bad" {
                let name = rule.file_name().unwrap();
                let to = together.path().join(name);
                for file in definitions(&from) {
                    std::fs::create_dir_all(to.join(&file).parent().unwrap()).unwrap();
                    std::fs::copy(from.join(&file), to.join(&file)).unwrap();
                }
            }
        }
    }
    assert!(used > 20, "{used}");
    let formats = ["json", "human"];
    assert!(each_file_the_same_with_and_without(together.path(), &cache, &formats) > 50);
}
