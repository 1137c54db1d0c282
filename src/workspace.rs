//! What a run is about, computed once by the binary (and by the tests, the
//! same way): the current directory, the project root, where the root is in
//! its git checkout, and the configuration that applies. Every path a file
//! is known by comes from here: as the user typed it (shown in human, short
//! and JSON output), relative to the root (globs, `[[allow]]` paths,
//! baselines), and relative to the checkout (github and SARIF, which GitHub
//! resolves from the top of the checkout).

use std::path::{Path, PathBuf};

use crate::config::{Config, ConfigError, FILE_NAMES};
use crate::files::paths::{
    ROOT_MARKERS, absolute, nearest_holding, path_from, plain_components, plainly_relative,
    relative_name,
};

/// What the command line says about the root and the configuration.
#[derive(Debug, Clone, Copy, Default)]
pub struct Options<'a> {
    /// `--root DIR`.
    pub root: Option<&'a Path>,
    /// `--config FILE`.
    pub config: Option<&'a Path>,
    /// `--isolated`: no configuration file, defaults only.
    pub isolated: bool,
}

/// Why there is no workspace to check (exit code 2).
#[derive(Debug, thiserror::Error)]
pub enum WorkspaceError {
    #[error("--root {0}: not a directory")]
    RootNotADirectory(String),
    #[error(transparent)]
    Config(ConfigError),
}

/// The root, the current directory and the configuration of one run.
#[derive(Debug)]
pub struct Workspace {
    /// The current directory: relative paths are taken from it, and names
    /// are shown relative to it.
    pub cwd: PathBuf,
    /// The project root (absolute, lexically normalised): `--root`, else the
    /// directory of `--config`, else the nearest directory at or above the
    /// first path that holds phonelint.toml, .phonelint.toml or .git, else
    /// the current directory.
    pub root: PathBuf,
    /// The root was given or found: every definition under it is read for
    /// the rules across files. Not so for the current directory taken for
    /// want of a root (a file checked outside any repository).
    pub is_repository: bool,
    /// Where the root is in its git checkout, `/`-terminated (`defs/`);
    /// empty when the root is the checkout's top or in no checkout.
    pub checkout_prefix: String,
    /// The root's phonelint.toml (or `--config`'s), or defaults.
    pub config: Config,
    /// The directory of the cache between runs (see [`crate::cache`]), when
    /// this run may use one: the binary sets it, unless `--no-cache` or
    /// `cache = false` says otherwise. `None` reads every file.
    pub cache: Option<PathBuf>,
}

impl Workspace {
    /// The workspace of a run from `cwd` asking about `first` (the first
    /// path given; the current directory when none is).
    pub fn new(
        cwd: &Path,
        first: Option<&Path>,
        options: &Options<'_>,
    ) -> Result<Self, WorkspaceError> {
        let (root, is_repository) = if let Some(root) = options.root {
            if !cwd.join(root).is_dir() {
                return Err(WorkspaceError::RootNotADirectory(
                    root.display().to_string(),
                ));
            }
            (absolute(root, cwd), true)
        } else if let Some(config) = options.config.filter(|_| !options.isolated) {
            let file = absolute(config, cwd);
            (
                file.parent()
                    .map_or_else(|| cwd.to_path_buf(), Path::to_path_buf),
                true,
            )
        } else {
            let start = absolute(first.unwrap_or(Path::new(".")), cwd);
            match nearest_holding(&start, &ROOT_MARKERS) {
                Some(root) => (root, true),
                None => (absolute(cwd, cwd), false),
            }
        };
        let checkout_prefix = match nearest_holding(&root, &[".git"]) {
            Some(top) if top != root => format!("{}/", path_from(&top, &root)),
            _ => String::new(),
        };
        let mut workspace = Self {
            cwd: cwd.to_path_buf(),
            root,
            is_repository,
            checkout_prefix,
            config: Config::defaults(),
            cache: None,
        };
        let file = if options.isolated {
            None
        } else if let Some(config) = options.config {
            Some(cwd.join(config))
        } else {
            FILE_NAMES
                .iter()
                .map(|name| workspace.root.join(name))
                .find(|path| std::fs::symlink_metadata(path).is_ok())
        };
        if let Some(path) = file {
            let name = relative_name(&path, cwd);
            let relative = workspace.relative(&path, &name);
            let links_inside = nearest_holding(&workspace.root, &[".git"])
                .unwrap_or_else(|| workspace.root.clone());
            workspace.config = Config::read(&path, name, relative, &links_inside)
                .map_err(WorkspaceError::Config)?;
        }
        Ok(workspace)
    }

    /// The workspace of a check of files in `cwd` that nothing configures:
    /// defaults, the current directory as root, read as a repository only
    /// when a marker says it is one. For tests and benchmarks.
    pub fn isolated(cwd: &Path) -> Self {
        let options = Options {
            isolated: true,
            ..Options::default()
        };
        match Self::new(cwd, None, &options) {
            Ok(workspace) => workspace,
            // Without --root or --config nothing can fail.
            Err(_) => Self {
                cwd: cwd.to_path_buf(),
                root: cwd.to_path_buf(),
                is_repository: false,
                checkout_prefix: String::new(),
                config: Config::defaults(),
                cache: None,
            },
        }
    }

    /// The name a file at `path` (as discovered: relative to the current
    /// directory, or absolute) is shown by.
    pub fn name(&self, path: &Path) -> String {
        relative_name(path, &self.cwd)
    }

    /// The path of the file at `path`, shown as `name`, relative to the
    /// root (`../x.toml` outside it); `None` when it is `name` itself, as it
    /// is for every file when the root is the current directory.
    pub fn relative(&self, path: &Path, name: &str) -> Option<String> {
        self.relatives().relative(path, name)
    }

    /// What [`Workspace::relative`] needs of the root and the current
    /// directory, worked out once for the many files of a walk.
    pub fn relatives(&self) -> Relatives<'_> {
        let root_below_cwd = (self.root.to_str())
            .zip(self.cwd.to_str())
            .and_then(|(root, cwd)| root.strip_prefix(cwd)?.strip_prefix('/'))
            .filter(|below| plain_components(below.as_bytes()));
        Relatives {
            workspace: self,
            root_below_cwd,
        }
    }

    /// Whether `path` (as given) is the root or a directory above it: a
    /// check of it reads everything the project has.
    pub fn holds_root(&self, path: &Path) -> bool {
        self.root.starts_with(absolute(path, &self.cwd))
    }
}

/// [`Workspace::relative`] for many files: what depends only on the
/// workspace is found once.
#[derive(Debug, Clone, Copy)]
pub struct Relatives<'w> {
    workspace: &'w Workspace,
    /// The root's path from the current directory, when the root is below
    /// it and both are plain (no `.` or `..`) UTF-8 paths.
    root_below_cwd: Option<&'w str>,
}

impl Relatives<'_> {
    /// See [`Workspace::name`].
    pub fn name(&self, path: &Path) -> String {
        self.workspace.name(path)
    }

    /// The name of the file at `path` and its path relative to the root,
    /// as [`Relatives::name`] and [`Relatives::relative`] give them. A
    /// plain relative path, as a walk below the current directory gives
    /// every file, is checked once for both.
    pub fn name_and_relative(&self, path: &Path) -> (String, Option<String>) {
        let plainly_inside_root = plainly_relative(path).and_then(|name| {
            let inside = name.strip_prefix(self.root_below_cwd?)?.strip_prefix('/')?;
            Some((name, inside))
        });
        if let Some((name, inside)) = plainly_inside_root {
            return (name.to_owned(), Some(inside.to_owned()));
        }
        let name = self.name(path);
        let relative = self.relative(path, &name);
        (name, relative)
    }

    /// See [`Workspace::relative`].
    pub fn relative(&self, path: &Path, name: &str) -> Option<String> {
        let workspace = self.workspace;
        let under_cwd = !(name.starts_with('/') || name == ".." || name.starts_with("../"));
        if let Some(inside) = self.plainly_inside_root(path, name) {
            return Some(inside.to_owned());
        }
        if workspace.root == workspace.cwd && under_cwd {
            return None;
        }
        let relative = path_from(&workspace.root, &absolute(path, &workspace.cwd));
        (relative != name).then_some(relative)
    }

    /// What [`Relatives::relative`] gives, without building the absolute
    /// path (this runs for every file of a check): `name` past the root's
    /// path from the current directory, when the root is below it, `name`
    /// is under the root, and both are plain names (no `.` or `..`) and the
    /// very text of their paths.
    fn plainly_inside_root<'n>(&self, path: &Path, name: &'n str) -> Option<&'n str> {
        let below = self.root_below_cwd?;
        path.to_str()?;
        if !plain_components(name.as_bytes()) {
            return None;
        }
        name.strip_prefix(below)?.strip_prefix('/')
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn write(path: &Path) {
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, "").unwrap();
    }

    /// The names of files under a root below the current directory are
    /// cut short as the absolute paths would give them; the others, and
    /// names that are not plain, take the long way, to the same result.
    #[test]
    fn a_path_from_the_root_is_the_same_the_short_way_and_the_long_way() {
        let dir = tempfile::tempdir().unwrap();
        let cwd = dir.path().join("work");
        let root = cwd.join("defs/repo");
        std::fs::create_dir_all(root.join(".git")).unwrap();
        write(&root.join("phones/a.toml"));
        let ws = Workspace::new(&cwd, Some(Path::new("defs/repo")), &Options::default()).unwrap();
        assert_eq!(ws.root, root);
        let long_way = |path: &Path| {
            let relative = path_from(&ws.root, &absolute(path, &ws.cwd));
            let name = ws.name(path);
            (relative != name).then_some(relative)
        };
        for path in [
            "defs/repo/phones/a.toml",
            "defs/repo/a.toml",
            "./defs/repo/phones/a.toml",
            "defs/repo/../repo/phones/a.toml",
            "defs/repo/phones/../../other/a.toml",
            "defs/repository/a.toml",
            "defs/rep/a.toml",
            "defs/a.toml",
            "other/a.toml",
            "a.toml",
            "../a.toml",
        ] {
            let path = Path::new(path);
            let name = ws.name(path);
            assert_eq!(ws.relative(path, &name), long_way(path), "{path:?}");
            let both = (name, long_way(path));
            assert_eq!(ws.relatives().name_and_relative(path), both, "{path:?}");
            let absolute = ws.cwd.join(path);
            let name = ws.name(&absolute);
            assert_eq!(
                ws.relative(&absolute, &name),
                long_way(&absolute),
                "{path:?}"
            );
            let both = (name, long_way(&absolute));
            let found = ws.relatives().name_and_relative(&absolute);
            assert_eq!(found, both, "{path:?}");
        }
        let path = Path::new("defs/repo/phones/a.toml");
        let name = ws.name(path);
        let relatives = ws.relatives();
        assert_eq!(
            relatives.plainly_inside_root(path, &name),
            Some("phones/a.toml")
        );
        assert_eq!(ws.relative(path, &name).as_deref(), Some("phones/a.toml"));
    }

    #[test]
    fn the_root_and_its_place_in_the_checkout() {
        let dir = tempfile::tempdir().unwrap();
        let repo = dir.path().join("repo");
        std::fs::create_dir_all(repo.join(".git")).unwrap();
        write(&repo.join("defs/phonelint.toml"));
        write(&repo.join("defs/phones/a.toml"));
        let options = Options::default();
        // From the git root, naming a file in the subfolder.
        let ws = Workspace::new(&repo, Some(Path::new("defs/phones/a.toml")), &options).unwrap();
        assert_eq!(ws.root, repo.join("defs"));
        assert!(ws.is_repository);
        assert_eq!(ws.checkout_prefix, "defs/");
        assert!(ws.config.file.is_some());
        let path = Path::new("defs/phones/a.toml");
        let name = ws.name(path);
        assert_eq!(name, "defs/phones/a.toml");
        assert_eq!(ws.relative(path, &name).as_deref(), Some("phones/a.toml"));
        // From the git root asking about it: the root is the checkout's.
        let ws = Workspace::new(&repo, None, &options).unwrap();
        assert_eq!(ws.root, repo);
        assert_eq!(ws.checkout_prefix, "");
        assert!(ws.config.file.is_none());
        // --root and --config set it.
        let ws = Workspace::new(
            &repo,
            None,
            &Options {
                root: Some(Path::new("defs/phones")),
                ..options
            },
        )
        .unwrap();
        assert_eq!(ws.root, repo.join("defs/phones"));
        assert_eq!(ws.checkout_prefix, "defs/phones/");
        let ws = Workspace::new(
            &repo,
            Some(Path::new(".")),
            &Options {
                config: Some(Path::new("defs/phonelint.toml")),
                ..options
            },
        )
        .unwrap();
        assert_eq!(ws.root, repo.join("defs"));
        assert!(matches!(
            Workspace::new(
                &repo,
                None,
                &Options {
                    root: Some(Path::new("nope")),
                    ..options
                }
            ),
            Err(WorkspaceError::RootNotADirectory(_))
        ));
    }

    #[test]
    fn without_a_marker_the_current_directory_is_the_root_and_not_read_whole() {
        let dir = tempfile::tempdir().unwrap();
        write(&dir.path().join("a.toml"));
        let ws =
            Workspace::new(dir.path(), Some(Path::new("a.toml")), &Options::default()).unwrap();
        assert_eq!(ws.root, dir.path());
        assert!(!ws.is_repository);
        assert_eq!(ws.relative(Path::new("a.toml"), "a.toml"), None);
    }

    #[test]
    fn a_configuration_above_a_checkout_does_not_apply() {
        let dir = tempfile::tempdir().unwrap();
        write(&dir.path().join("phonelint.toml"));
        let repo = dir.path().join("repo");
        std::fs::create_dir_all(repo.join(".git")).unwrap();
        write(&repo.join("a/b/x.toml"));
        let ws = Workspace::new(&repo.join("a/b"), None, &Options::default()).unwrap();
        assert_eq!(ws.root, repo);
        assert!(ws.config.file.is_none());
        write(&repo.join("a/.phonelint.toml"));
        let ws = Workspace::new(&repo.join("a/b"), None, &Options::default()).unwrap();
        assert_eq!(ws.root, repo.join("a"));
        assert_eq!(
            ws.config.file.as_ref().map(|f| f.name.as_str()),
            Some(repo.join("a/.phonelint.toml").to_str().unwrap())
        );
        // phonelint.toml is preferred to .phonelint.toml.
        write(&repo.join("a/phonelint.toml"));
        let ws = Workspace::new(&repo.join("a"), None, &Options::default()).unwrap();
        assert_eq!(
            ws.config.file.as_ref().map(|f| f.name.as_str()),
            Some("phonelint.toml")
        );
    }
}
