#!/usr/bin/env python3
"""The GPU kit's chunk path on a tiny payload, as the device runs it: kit.py split, then device.sh gather call by
call into a store outside the "tree", device.sh unpack; a missing or corrupted chunk must stop it with a message
naming the chunk and the call that carries it. Also kit.py report on two hand-written runs. Seconds, no GPU, no .NET.
Run: python3 bench/gpu-kit/test_kit.py (tests/Cli.Tests/GpuKitTests.cs runs it in the test suite)."""
import json
import os
import random
import shutil
import subprocess
import sys
import tarfile
import tempfile
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
KIT = os.path.join(HERE, "kit.py")
DEVICE = os.path.join(HERE, "device.sh")
sys.path.insert(0, HERE)
import kit  # noqa: E402


class ChunkPath(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.mkdtemp(prefix="gpu-kit-test-")
        self.home = os.path.join(self.tmp, "home")
        payload = os.path.join(self.tmp, "payload")
        os.makedirs(os.path.join(payload, "app"))
        rng = random.Random(34)
        # Incompressible, so that the archive spans several chunks.
        with open(os.path.join(payload, "app", "blob.bin"), "wb") as f:
            f.write(bytes(rng.getrandbits(8) for _ in range(200_000)))
        with open(os.path.join(payload, "KIT.txt"), "w") as f:
            f.write("tiny kit\n")
        tar = os.path.join(self.tmp, "kit.tar")
        with tarfile.open(tar, "w") as t:
            for name in ("app", "KIT.txt"):
                t.add(os.path.join(payload, name), arcname=name)
        self.archive = os.path.join(self.tmp, "kit.tar.zst")
        subprocess.run(["zstd", "-q", "-3", tar, "-o", self.archive], check=True)
        self.calls = os.path.join(self.tmp, "calls")
        self.manifest = kit.split(self.archive, self.calls, 80_000)

    def tearDown(self):
        shutil.rmtree(self.tmp)

    def device(self, *args):
        env = dict(os.environ, KIT_HOME=self.home, OUT=os.path.join(self.tmp, "out"))
        # device.sh sends stderr to its log with stdout, so both arrive in stdout.
        return subprocess.run(["bash", DEVICE, *args], env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                              text=True, timeout=60)

    def gather(self, call):
        return self.device("gather", os.path.join(self.calls, call))

    def test_split_into_calls_with_manifest(self):
        chunks = self.manifest["chunks"]
        self.assertEqual(3, len(chunks))
        self.assertEqual(os.path.getsize(self.archive), sum(c["bytes"] for c in chunks))
        self.assertEqual(["c01", "c02", "c03"], sorted(os.listdir(self.calls)))
        for c in chunks:
            self.assertEqual(c["sha256"], kit.sha256_of(os.path.join(self.calls, c["folder"], c["name"])))
            with open(os.path.join(self.calls, c["folder"], "manifest.json")) as f:
                self.assertEqual(self.manifest, json.load(f))

    def test_gather_each_call_then_unpack(self):
        for call, held in (("c01", "1/3"), ("c02", "2/3"), ("c03", "3/3")):
            result = self.gather(call)
            self.assertEqual(0, result.returncode, result.stdout)
            self.assertIn(f"{held} chunks held", result.stdout)
        self.assertIn("complete", result.stdout)
        result = self.device("unpack")
        self.assertEqual(0, result.returncode, result.stdout)
        with open(os.path.join(self.home, "kit", "KIT.txt")) as f:
            self.assertEqual("tiny kit\n", f.read())
        self.assertEqual(200_000, os.path.getsize(os.path.join(self.home, "kit", "app", "blob.bin")))
        self.assertTrue(os.path.isfile(os.path.join(self.tmp, "out", "log.txt")))

    def test_missing_chunk_names_it_and_its_call(self):
        for call in ("c01", "c03"):
            self.assertEqual(0, self.gather(call).returncode)
        result = self.device("unpack")
        self.assertNotEqual(0, result.returncode)
        self.assertIn("missing kit.tar.zst.part02 (call 2, c02)", result.stdout)
        self.assertFalse(os.path.exists(os.path.join(self.home, "kit")))

    def test_corrupted_chunk_is_refused_on_arrival(self):
        part = os.path.join(self.calls, "c02", "kit.tar.zst.part02")
        with open(part, "r+b") as f:
            f.seek(1000)
            byte = f.read(1)
            f.seek(1000)
            f.write(bytes([byte[0] ^ 0xFF]))
        result = self.gather("c02")
        self.assertNotEqual(0, result.returncode)
        self.assertIn("chunk kit.tar.zst.part02 (carried by call 2): SHA-256", result.stdout)
        self.assertIn("carry c02 again", result.stdout)
        self.assertFalse(os.path.exists(os.path.join(self.home, "chunks", "kit.tar.zst.part02")))

    def test_chunk_damaged_in_the_store_stops_unpack(self):
        for call in ("c01", "c02", "c03"):
            self.assertEqual(0, self.gather(call).returncode)
        with open(os.path.join(self.home, "chunks", "kit.tar.zst.part03"), "ab") as f:
            f.write(b"x")
        result = self.device("unpack")
        self.assertNotEqual(0, result.returncode)
        self.assertIn("chunk kit.tar.zst.part03", result.stdout)

    def test_chunks_of_another_kit_are_not_mixed(self):
        self.assertEqual(0, self.gather("c01").returncode)
        other = os.path.join(self.tmp, "other")
        with open(self.archive, "ab") as f:
            f.write(b"changed")
        kit.split(self.archive, other, 80_000)
        result = self.device("gather", os.path.join(other, "c02"))
        self.assertNotEqual(0, result.returncode)
        self.assertIn("holds chunks of another kit", result.stdout)


class Report(unittest.TestCase):
    def test_figures_of_a_cpu_and_a_device_run(self):
        tmp = tempfile.mkdtemp(prefix="gpu-kit-report-")
        try:
            def write(name, text):
                path = os.path.join(tmp, name)
                with open(path, "w") as f:
                    f.write(text)
                return path
            cpu = write("cpu.run", "1 Q0 a 1 2.5 t\n1 Q0 b 2 1.0 t\n2 Q0 c 1 0.5 t\n2 Q0 d 2 0.25 t\n")
            gpu = write("gpu.run", "1 Q0 a 1 2.5001 t\n1 Q0 b 2 0.9998 t\n2 Q0 d 1 0.6 t\n2 Q0 c 2 0.5 t\n")
            log = write("gpu.log", "note: m/model.onnx runs on CUDAExecutionProvider (ONNX Runtime 1.31.0)\n"
                        "re-ranked 2 queries, 4 pairs in 0.50 s (8.0 pairs/s); per query p50 200.0 ms, p99 250.5 ms; x\n")
            ev = write("gpu.eval.json", json.dumps({"runs": {"gpu": {"metrics": {"ndcg_cut_10": 0.75}}}}))
            spec = {"name": "m-cuda", "model": "m", "device": "cuda!", "precision": "fp32", "batch": "32", "log": log,
                    "run": gpu, "eval": ev, "fused_eval": "", "baseline": cpu}
            specs = write("specs.jsonl", json.dumps(spec) + "\n")
            rows = kit.report(specs, os.path.join(tmp, "s.md"), os.path.join(tmp, "s.json"))
            row = rows[0]
            self.assertEqual("CUDAExecutionProvider", row["provider"])
            self.assertEqual((8.0, 200.0, 250.5, 0.75), (row["pairs_per_s"], row["p50_ms"], row["p99_ms"], row["ndcg_cut_10"]))
            self.assertAlmostEqual(0.35, row["max_abs_diff"])
            self.assertEqual((1, 1, 4), (row["same_top10"], row["same_ranking"], row["pairs_compared"]))
        finally:
            shutil.rmtree(tmp)


if __name__ == "__main__":
    unittest.main()
