"""Stage two of the Landlock + seccomp mechanism: confine a child, then run the program in it.

Started as ``python -I -S confine.py POLICY -- PROGRAM ARGS…`` by the launcher, with the rlimits
already set. It runs only the standard library (libseccomp is loaded through ctypes), in this order:

1. dies with its caller (``PR_SET_PDEATHSIG``; a SIGTERM handler ends the whole process group, and
   seccomp forbids ``setsid``/``setpgid``, so no descendant can leave the group);
2. drops every capability (a root caller's program is root without root's powers);
3. Landlock: read/execute the Python installation and system libraries, write only the run folder;
   no TCP; no abstract unix sockets or signals outside the sandbox (ABI 6);
4. seccomp (libseccomp through ctypes): no sockets except unix ones (none when headless), no
   ptrace, mount, namespaces, keyrings, bpf, io_uring, mknod, …;
5. steps 3 and 4 happen in a forked child, which then execs the program (and may read its own
   /proc entry); this process stays outside the sandbox's Landlock domain, so the program can
   neither signal nor trace it, and as a subreaper it reaps orphans and exits with the
   program's status.
"""

import _signal as signal  # the C module: "signal" would import enum (~10 ms here)
import ctypes
import errno
import os
import sys

PR_SET_PDEATHSIG, PR_SET_CHILD_SUBREAPER, PR_CAPBSET_DROP, PR_SET_NO_NEW_PRIVS = 1, 36, 24, 38
SYS_CREATE_RULESET, SYS_ADD_RULE, SYS_RESTRICT_SELF = 444, 445, 446
SYS_CAPSET = {"x86_64": 126, "aarch64": 91}.get(os.uname().machine)
FS_READ = (1 << 0) | (1 << 2) | (1 << 3)  # execute, read file, read dir
FS_FILE_RIGHTS = (1 << 0) | (1 << 1) | (1 << 2) | (1 << 14) | (1 << 15)
MAKE_CHAR, MAKE_BLOCK = 1 << 6, 1 << 11
DENIED = (
    "ptrace", "process_vm_readv", "process_vm_writev", "mount", "umount2", "pivot_root", "chroot",
    "unshare", "setns", "keyctl", "add_key", "request_key", "bpf", "perf_event_open",
    "kexec_load", "kexec_file_load", "init_module", "finit_module", "delete_module", "reboot",
    "swapon", "swapoff", "acct", "userfaultfd", "io_uring_setup", "io_uring_enter",
    "io_uring_register", "setsid", "setpgid", "mknod", "mknodat", "open_by_handle_at",
    "name_to_handle_at", "iopl", "ioperm", "settimeofday", "clock_settime", "adjtimex",
    "fanotify_init", "quotactl", "lookup_dcookie", "vhangup", "move_mount", "open_tree",
    "fsopen", "fsmount", "fspick", "mount_setattr",
)  # fmt: skip
TIOCSTI, TIOCLINUX = 0x5412, 0x541C
SCMP_ACT_ALLOW, SCMP_CMP_NE, SCMP_CMP_EQ = 0x7FFF0000, 1, 4
AF_UNIX = 1  # not imported from socket: importing it (and json) doubled this stage's start-up

libc = ctypes.CDLL(None, use_errno=True)
libc.syscall.restype = ctypes.c_long


class RulesetAttr(ctypes.Structure):
    _fields_ = [("fs", ctypes.c_uint64), ("net", ctypes.c_uint64), ("scoped", ctypes.c_uint64)]


class PathBeneath(ctypes.Structure):
    _pack_ = 1
    _fields_ = [("allowed", ctypes.c_uint64), ("parent_fd", ctypes.c_int32)]


def fail(what):
    err = ctypes.get_errno()
    sys.stderr.write(f"codeflow sandbox: {what} failed: {os.strerror(err)}\n")
    os._exit(125)


def landlock_abi():
    ctypes.set_errno(0)
    return libc.syscall(ctypes.c_long(SYS_CREATE_RULESET), None, ctypes.c_size_t(0), 1)


def all_fs_rights(abi):
    rights = (1 << 13) - 1
    rights |= (1 << 13) if abi >= 2 else 0  # refer
    rights |= (1 << 14) if abi >= 3 else 0  # truncate
    rights |= (1 << 15) if abi >= 5 else 0  # ioctl on devices
    return rights


def landlock(policy):
    abi = landlock_abi()
    if abi < 1:
        fail("landlock")
    handled = all_fs_rights(abi)
    attr = RulesetAttr(handled, 3 if abi >= 4 else 0, 3 if abi >= 6 else 0)  # tcp; unix+signals
    size = 8 if abi < 4 else 16 if abi < 6 else 24
    ruleset = libc.syscall(ctypes.c_long(SYS_CREATE_RULESET), ctypes.byref(attr), size, 0)
    if ruleset < 0:
        fail("landlock_create_ruleset")
    write_dir = handled & ~(MAKE_CHAR | MAKE_BLOCK)
    for path, rights in [
        *((p, FS_READ) for p in policy["read"]),
        *((p, write_dir) for p in policy["write"]),
        *((p, FS_READ | (1 << 1) | ((1 << 15) if abi >= 5 else 0)) for p in policy["devices"]),
    ]:
        try:
            fd = os.open(path, os.O_PATH | os.O_CLOEXEC)
        except OSError:
            continue  # a listed system path that this machine lacks
        if not os.path.isdir(path):
            rights &= FS_FILE_RIGHTS
        rule = PathBeneath(rights & handled, fd)
        if libc.syscall(ctypes.c_long(SYS_ADD_RULE), ruleset, 1, ctypes.byref(rule), 0) < 0:
            fail(f"landlock_add_rule {path}")
        os.close(fd)
    if libc.prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0:
        fail("no_new_privs")
    if libc.syscall(ctypes.c_long(SYS_RESTRICT_SELF), ruleset, 0) < 0:
        fail("landlock_restrict_self")
    os.close(ruleset)


def drop_capabilities():
    last = int(open("/proc/sys/kernel/cap_last_cap", encoding="utf-8").read())
    for cap in range(last + 1):
        libc.prctl(PR_CAPBSET_DROP, cap, 0, 0, 0)  # EPERM without CAP_SETPCAP: nothing to drop
    if SYS_CAPSET is None:
        return
    header = (ctypes.c_uint32 * 2)(0x20080522, 0)  # _LINUX_CAPABILITY_VERSION_3, this process
    data = (ctypes.c_uint32 * 6)()
    if libc.syscall(ctypes.c_long(SYS_CAPSET), header, data) != 0:
        fail("capset")


class ArgCmp(ctypes.Structure):
    """libseccomp's ``struct scmp_arg_cmp``: argument ``arg`` compared by ``op`` with ``a``
    (``b`` is the mask for SCMP_CMP_MASKED_EQ)."""

    _fields_ = [
        ("arg", ctypes.c_uint),
        ("op", ctypes.c_int),
        ("a", ctypes.c_uint64),
        ("b", ctypes.c_uint64),
    ]


def seccomp(headless):
    """A default-allow filter that refuses the listed calls (libseccomp through ctypes)."""
    try:
        lib = ctypes.CDLL("libseccomp.so.2", use_errno=True)
    except OSError:
        fail("loading libseccomp.so.2")
    lib.seccomp_init.restype = ctypes.c_void_p
    lib.seccomp_rule_add_array.argtypes = [
        ctypes.c_void_p, ctypes.c_uint32, ctypes.c_int, ctypes.c_uint, ctypes.POINTER(ArgCmp)
    ]  # fmt: skip
    lib.seccomp_load.argtypes = [ctypes.c_void_p]
    lib.seccomp_syscall_resolve_name.argtypes = [ctypes.c_char_p]
    ctx = lib.seccomp_init(SCMP_ACT_ALLOW)

    def refuse(name, err, *cmps):
        number = lib.seccomp_syscall_resolve_name(name.encode())
        if number < 0:
            return  # a syscall this architecture does not have
        array = (ArgCmp * max(1, len(cmps)))(*cmps)
        if lib.seccomp_rule_add_array(ctx, 0x00050000 | err, number, len(cmps), array) != 0:
            fail(f"seccomp rule {name}")

    for name in DENIED:
        refuse(name, errno.EPERM)
    if headless:
        refuse("socket", errno.EACCES)
    else:  # a window needs the display's unix socket
        refuse("socket", errno.EAFNOSUPPORT, ArgCmp(0, SCMP_CMP_NE, AF_UNIX, 0))
    for request in (TIOCSTI, TIOCLINUX):
        refuse("ioctl", errno.EPERM, ArgCmp(1, SCMP_CMP_EQ, request, 0))
    if lib.seccomp_load(ctypes.c_void_p(ctx)) != 0:
        fail("seccomp_load")


def parse(text):
    """The policy, one ``KEY:VALUE`` per line: P parent pid, H headless, R read, W write, D device."""
    policy = {"read": [], "write": [], "devices": [], "parent": 0, "headless": True}
    names = {"R": "read", "W": "write", "D": "devices"}
    for line in text.split("\n"):
        key, _, value = line.partition(":")
        if key in names:
            policy[names[key]].append(value)
        elif key == "P":
            policy["parent"] = int(value)
        elif key == "H":
            policy["headless"] = value == "1"
    return policy


def end_group(*_):
    if os.getpgid(0) == os.getpid():  # only a group of our own (the launcher starts a session)
        os.killpg(0, signal.SIGKILL)
    os._exit(137)


def main():
    split = sys.argv.index("--")
    policy = parse(sys.argv[1])
    program = sys.argv[split + 1 :]
    signal.signal(signal.SIGTERM, end_group)
    signal.signal(signal.SIGHUP, end_group)
    libc.prctl(PR_SET_PDEATHSIG, signal.SIGTERM, 0, 0, 0)
    if os.getppid() != policy["parent"]:  # the caller died before the line above
        end_group()
    libc.prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0)
    drop_capabilities()
    child = os.fork()
    if child == 0:
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
        signal.signal(signal.SIGHUP, signal.SIG_DFL)
        # The program may read its own /proc entry (status, fds, maps), nobody else's.
        policy["read"].append(f"/proc/{os.getpid()}")
        landlock(policy)
        seccomp(policy["headless"])
        try:
            os.execv(program[0], program)
        except OSError as exc:
            sys.stderr.write(f"codeflow sandbox: cannot start {program[0]}: {exc}\n")
            os._exit(127)
    null = os.open(os.devnull, os.O_RDWR)
    for fd in (0, 1, 2):  # the program alone holds the pipes: its exit closes them
        os.dup2(null, fd)
    while True:
        pid, status = os.wait()
        if pid == child:
            break
    if os.WIFSIGNALED(status):
        os._exit(128 + os.WTERMSIG(status))
    os._exit(os.WEXITSTATUS(status))


if __name__ == "__main__":
    main()
