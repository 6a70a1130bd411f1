"""Ctrl-C (SIGINT to the whole process group, as a terminal sends it) at random
moments of an n_jobs=2 fit; the child must end, and a later fit must work."""
import os, signal, subprocess, sys, time, random
here = os.path.dirname(__file__)
random.seed(int(sys.argv[1]) if len(sys.argv) > 1 else 0)
outcomes = {}
for trial in range(int(sys.argv[2]) if len(sys.argv) > 2 else 10):
    delay = random.uniform(float(os.environ.get("LO", 0.5)), float(os.environ.get("HI", 4.0)))
    bs = random.choice([50, 200])
    child = subprocess.Popen([sys.executable, os.path.join(here, "ctrl_c_child.py"), str(bs), "300"],
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                             start_new_session=True)
    assert child.stdout.readline().strip() == "ready"
    time.sleep(delay)
    os.killpg(child.pid, signal.SIGINT)
    try:
        out, err = child.communicate(timeout=60)
    except subprocess.TimeoutExpired:
        print(f"trial {trial}: HANG (delay {delay:.2f}, batch {bs}); killing group", flush=True)
        os.killpg(child.pid, signal.SIGKILL); child.communicate(); continue
    lines = out.strip().splitlines()
    print(f"trial {trial}: delay {delay:.2f} bs {bs} rc={child.returncode}: {lines}", flush=True)
    if child.returncode != 0:
        print("   stderr tail:", err.strip().splitlines()[-3:], flush=True)
    # any process of the group left?
    for _ in range(50):
        time.sleep(0.2)
        left = subprocess.run(["pgrep", "-g", str(child.pid)], capture_output=True, text=True).stdout.split()
        if not left: break
    if left:
        left = [subprocess.run(["ps", "-o", "pid,stat,etime,cmd", "-p", p], capture_output=True, text=True).stdout.splitlines()[-1][:150] for p in left]
    if left:
        print("   processes left in the group:", left, flush=True)
        os.killpg(child.pid, signal.SIGKILL)
