//! The file system, at one choke point: reading what a pull request may have
//! put in a repository, writing a file atomically, and paths.

pub mod paths;
pub mod read;
pub mod write;
