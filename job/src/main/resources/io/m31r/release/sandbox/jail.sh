# Builds one sample's private filesystem and runs a command in it as an unprivileged uid.
# Runs as root, as the first process of fresh mount, network, PID, IPC and UTS namespaces
# (unshare --fork --kill-child), and stays the namespace's first process while the command runs:
# its exit tears the namespace down with everything the command started, and it keeps the
# parent-death signal that the uid change clears on the command itself.
# Arguments: CONTAINER MODE TABLE UID AS_BYTES NPROC FSIZE_BYTES CPU_SECONDS -- COMMAND...
# CONTAINER holds root/ (the new root's skeleton), box/ (the sample's folder, shown as /sandbox,
# writable only in MODE compile, and then only by rustc) and TABLE, every mount of this step
# (sandbox/Jail writes both). The command starts in /sandbox to compile and in /tmp to run.
set -eu
c=$1 mode=$2 table=$3 uid=$4 as=$5 nproc=$6 fsize=$7 cpu=$8
shift 9
path=$PATH
PATH=/usr/local/sbin:/usr/sbin:/sbin:$PATH
mount --all --fstab "$c/$table"
cd "$c/root"
pivot_root . .
umount -l .
if [ "$mode" = compile ]; then cd /sandbox; else cd /tmp; fi
set +e
PATH=$path prlimit --as="$as" --nproc="$nproc" --fsize="$fsize" --core=0 --cpu="$cpu" -- \
  setpriv --reuid="$uid" --regid="$uid" --clear-groups --inh-caps=-all --bounding-set=-all --no-new-privs -- "$@"
exit $?
