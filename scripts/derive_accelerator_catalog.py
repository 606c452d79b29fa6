"""Derive the bundled accelerator catalog (data/hardware/accelerators.csv).

How the bundled figures were made, kept so anyone can re-derive or audit them:

    python scripts/derive_accelerator_catalog.py --epoch <Epoch AI chip CSV> > data/hardware/accelerators.csv

Each row names one accelerator, the Epoch AI row it starts from (CC BY 4.0), and the figures that a
vendor datasheet adds or corrects (facts, cited per row). Figures that no vendor publishes (TDP of
TPU v5p / v6e, Trainium 1, Inferentia 2) are estimates with `tdp_basis = estimate` and the method
in `notes`. Embodied carbon is filled only where a published figure exists; never invented.
This script is a provenance record: the build reads the CSV, not this script.
"""

from __future__ import annotations

import argparse
import csv
import sys

from ingestion.sources.hardware.epoch import normalize_epoch

EPOCH = "Epoch AI, Machine Learning Hardware / chip database (snapshot in epoch-research/training-cost-trends @263c40a)"
EPOCH_URL = "https://epoch.ai/data/machine-learning-hardware"
EPOCH_LICENCE = "CC BY 4.0"
FACTS = "vendor specification (facts, cited)"

# canonical_name, epoch name (or None), vendor, family, form factor, aliases ("|"), overrides
SPEC: list[tuple[str, str | None, str, str, str, str, dict]] = [
    # --- NVIDIA data centre ---
    ("NVIDIA Tesla K80", "NVIDIA Tesla K80", "NVIDIA", "Kepler", "PCIe", "Tesla K80|K80", {}),
    ("NVIDIA Tesla M40", "NVIDIA M40", "NVIDIA", "Maxwell", "PCIe", "Tesla M40|M40", {}),
    ("NVIDIA Tesla P4", "NVIDIA Tesla P4", "NVIDIA", "Pascal", "PCIe", "Tesla P4|P4", {}),
    ("NVIDIA Tesla P40", "NVIDIA P40", "NVIDIA", "Pascal", "PCIe", "Tesla P40|P40", {}),
    ("NVIDIA Tesla P100 PCIe 16GB", "NVIDIA Tesla P100 PCIe 16GB", "NVIDIA", "Pascal", "PCIe",
     "Tesla P100-PCIE-16GB|P100|Tesla P100", {"memory_gb": 16}),
    ("NVIDIA Tesla P100 SXM2 16GB", "NVIDIA Tesla P100 SXM2", "NVIDIA", "Pascal", "SXM",
     "Tesla P100-SXM2-16GB", {"memory_gb": 16}),
    ("NVIDIA Tesla V100 PCIe 16GB", "NVIDIA Tesla V100 PCIe 16 GB", "NVIDIA", "Volta", "PCIe",
     "Tesla V100-PCIE-16GB", {}),
    ("NVIDIA Tesla V100 PCIe 32GB", "NVIDIA Tesla V100 PCIe 32 GB", "NVIDIA", "Volta", "PCIe",
     "Tesla V100-PCIE-32GB", {}),
    ("NVIDIA Tesla V100 SXM2 16GB", "NVIDIA Tesla V100 SXM2 16 GB", "NVIDIA", "Volta", "SXM",
     "Tesla V100-SXM2-16GB|V100|Tesla V100", {"memory_gb": 16}),
    ("NVIDIA Tesla V100 SXM2 32GB", "NVIDIA Tesla V100 SXM2 32 GB", "NVIDIA", "Volta", "SXM",
     "Tesla V100-SXM2-32GB", {}),
    ("NVIDIA Tesla V100S PCIe 32GB", "NVIDIA Tesla V100S PCIe 32 GB", "NVIDIA", "Volta", "PCIe",
     "Tesla V100S-PCIE-32GB|V100S", {}),
    ("NVIDIA Tesla T4", "NVIDIA Tesla T4", "NVIDIA", "Turing", "PCIe", "Tesla T4|T4", {}),
    ("NVIDIA A100 PCIe 40GB", "NVIDIA A100 PCIe", "NVIDIA", "Ampere", "PCIe", "NVIDIA A100-PCIE-40GB",
     {"tdp_w": 250, "memory_gb": 40, "release_date": "2020-06-22",
      "vendor_url": "https://www.nvidia.com/content/dam/en-zz/Solutions/Data-Center/a100/pdf/nvidia-a100-datasheet-us-nvidia-1758950-r4-web.pdf",
      "notes": "TDP 250 W per NVIDIA A100 datasheet (Epoch's 'A100 PCIe' row gives the 80GB card's 300 W)"}),
    ("NVIDIA A100 PCIe 80GB", "NVIDIA A100 PCIe", "NVIDIA", "Ampere", "PCIe", "NVIDIA A100 80GB PCIe",
     {"memory_gb": 80, "release_date": "2021-06-28",
      "vendor_url": "https://www.nvidia.com/content/dam/en-zz/Solutions/Data-Center/a100/pdf/nvidia-a100-datasheet-us-nvidia-1758950-r4-web.pdf"}),
    ("NVIDIA A100 SXM4 40GB", "NVIDIA A100 SXM4 40 GB", "NVIDIA", "Ampere", "SXM", "NVIDIA A100-SXM4-40GB", {}),
    ("NVIDIA A100 SXM4 80GB", "NVIDIA A100 SXM4 80 GB", "NVIDIA", "Ampere", "SXM",
     "NVIDIA A100-SXM4-80GB|A100-80GB|A100 80GB", {}),
    ("NVIDIA A800 SXM4 80GB", "NVIDIA A800 SXM", "NVIDIA", "Ampere", "SXM", "NVIDIA A800-SXM4-80GB", {"memory_gb": 80}),
    ("NVIDIA A10", "NVIDIA A10 PCIe", "NVIDIA", "Ampere", "PCIe", "A10 PCIe",
     {"tf32": 62.5, "bf16": 125.0,
      "vendor_url": "https://www.nvidia.com/content/dam/en-zz/Solutions/Data-Center/a10/pdf/datasheet-new/nvidia-a10-datasheet.pdf"}),
    ("NVIDIA A10G", "NVIDIA A10G", "NVIDIA", "Ampere", "PCIe", "A10G", {}),
    ("NVIDIA A30", "NVIDIA A30 PCIe", "NVIDIA", "Ampere", "PCIe", "A30 PCIe", {"memory_gb": 24}),
    ("NVIDIA A40", "NVIDIA A40 PCIe", "NVIDIA", "Ampere", "PCIe", "A40 PCIe", {}),
    ("NVIDIA RTX A6000", "NVIDIA RTX A6000", "NVIDIA", "Ampere", "PCIe", "RTX A6000",
     {"bf16": 154.8, "vendor_url": "https://www.nvidia.com/en-us/design-visualization/rtx-a6000/",
      "notes": "BF16/FP16 dense tensor 154.8 TFLOP/s: half of NVIDIA's 309.7 TFLOP/s with structured sparsity (Epoch's table has no tensor figure for this part)"}),
    ("NVIDIA H100 PCIe", "NVIDIA H100 PCIe", "NVIDIA", "Hopper", "PCIe", "NVIDIA H100 PCIe 80GB|H100 PCIe",
     {"memory_gb": 80, "tdp_min_w": 300, "tdp_max_w": 350,
      "vendor_url": "https://resources.nvidia.com/en-us-tensor-core/nvidia-tensor-core-gpu-datasheet"}),
    ("NVIDIA H100 SXM5 80GB", "NVIDIA H100 SXM5 80GB", "NVIDIA", "Hopper", "SXM",
     "NVIDIA H100 80GB HBM3|H100 SXM|H100-SXM5-80GB|H100",
     {"fp8": 1978.9, "embodied_kgco2e": 164.0,
      "embodied_source": "NVIDIA HGX H100 product carbon footprint, 164 kgCO2e per GPU as used by EcoLogits (genai-impact/ecologits methodology)",
      "vendor_url": "https://resources.nvidia.com/en-us-tensor-core/nvidia-tensor-core-gpu-datasheet"}),
    ("NVIDIA H100 NVL", "NVIDIA H100 NVL", "NVIDIA", "Hopper", "PCIe (NVL pair)", "H100 NVL",
     {"tdp_min_w": 350, "tdp_max_w": 400, "fp32": 60.0, "tf32": 417.5, "bf16": 835.5, "fp8": 1670.5,
      "vendor_url": "https://resources.nvidia.com/en-us-tensor-core/nvidia-tensor-core-gpu-datasheet",
      "notes": "Epoch lists the dense BF16 figure under FP16; dense = half the datasheet's sparse figures"}),
    ("NVIDIA H800 SXM5", "NVIDIA H800 SXM5", "NVIDIA", "Hopper", "SXM", "H800", {}),
    ("NVIDIA H20", "NVIDIA HGX H20", "NVIDIA", "Hopper", "SXM", "HGX H20", {}),
    ("NVIDIA GH200", "NVIDIA GH200", "NVIDIA", "Hopper", "Superchip", "GH200 Grace Hopper",
     {"memory_gb": 96, "notes": "Hopper GPU of the GH200 Grace Hopper superchip; memory is the GPU's HBM3"}),
    ("NVIDIA H200 SXM 141GB", "NVIDIA H200 SXM", "NVIDIA", "Hopper", "SXM", "NVIDIA H200|H200 SXM|H200",
     {"memory_gb": 141, "fp8": 1978.9,
      "vendor_url": "https://www.nvidia.com/en-us/data-center/h200/"}),
    ("NVIDIA H200 NVL", None, "NVIDIA", "Hopper", "PCIe (NVL)", "H200 NVL",
     {"tdp_w": 600, "memory_gb": 141, "fp32": 60.0, "tf32": 417.5, "bf16": 835.5, "fp8": 1670.5,
      "release_date": "2024-11-18", "vendor_url": "https://www.nvidia.com/en-us/data-center/h200/",
      "notes": "dense figures = half the datasheet's sparse figures"}),
    ("NVIDIA B100", "NVIDIA B100", "NVIDIA", "Blackwell", "SXM", "B100", {}),
    ("NVIDIA B200", "NVIDIA B200", "NVIDIA", "Blackwell", "SXM", "NVIDIA B200 180GB|B200", {}),
    ("NVIDIA GB200", "NVIDIA GB200 NVL2", "NVIDIA", "Blackwell", "Superchip", "GB200|GB200 NVL72",
     {"memory_gb": 186,
      "vendor_url": "https://www.nvidia.com/en-us/data-center/gb200-nvl72/",
      "notes": "per Blackwell GPU of a GB200 superchip (2 GPUs + 1 Grace CPU, superchip configurable up to 2,700 W); memory = 13.4 TB HBM3e / 72 GPUs"}),
    ("NVIDIA L4", "NVIDIA L4", "NVIDIA", "Ada Lovelace", "PCIe", "L4", {}),
    ("NVIDIA L20", "NVIDIA L20 PCle", "NVIDIA", "Ada Lovelace", "PCIe", "L20", {}),
    ("NVIDIA L40", "NVIDIA L40", "NVIDIA", "Ada Lovelace", "PCIe", "L40", {}),
    ("NVIDIA L40S", None, "NVIDIA", "Ada Lovelace", "PCIe", "L40S",
     {"tdp_w": 350, "memory_gb": 48, "fp32": 91.6, "tf32": 183.0, "bf16": 362.05, "fp8": 733.0,
      "release_date": "2023-08-08", "vendor_url": "https://resources.nvidia.com/en-us-l40s/l40s-datasheet-28413"}),
    ("NVIDIA RTX 6000 Ada", "NVIDIA RTX 6000 Ada Generation", "NVIDIA", "Ada Lovelace", "PCIe",
     "NVIDIA RTX 6000 Ada Generation",
     {"tdp_w": 300, "memory_gb": 48,
      "vendor_url": "https://www.nvidia.com/en-us/design-visualization/rtx-6000/"}),
    ("NVIDIA Quadro RTX 8000", "NVIDIA Quadro RTX 8000", "NVIDIA", "Turing", "PCIe", "Quadro RTX 8000|RTX 8000", {}),
    # --- NVIDIA consumer ---
    ("NVIDIA GeForce GTX 1080 Ti", "NVIDIA GeForce GTX 1080 Ti", "NVIDIA", "Pascal", "Consumer PCIe", "GTX 1080 Ti", {}),
    ("NVIDIA Titan V", "NVIDIA Titan V", "NVIDIA", "Volta", "Consumer PCIe", "Titan V", {}),
    ("NVIDIA GeForce RTX 2080 Ti", "NVIDIA GeForce RTX 2080 Ti 11GB", "NVIDIA", "Turing", "Consumer PCIe", "RTX 2080 Ti", {}),
    ("NVIDIA Titan RTX", "NVIDIA TITAN RTX", "NVIDIA", "Turing", "Consumer PCIe", "Titan RTX", {"memory_gb": 24}),
    ("NVIDIA GeForce RTX 3080", "NVIDIA GeForce RTX 3080", "NVIDIA", "Ampere", "Consumer PCIe", "RTX 3080", {}),
    ("NVIDIA GeForce RTX 3090", "NVIDIA GeForce RTX 3090", "NVIDIA", "Ampere", "Consumer PCIe", "RTX 3090", {}),
    ("NVIDIA GeForce RTX 3090 Ti", "NVIDIA GeForce RTX 3090 Ti", "NVIDIA", "Ampere", "Consumer PCIe", "RTX 3090 Ti", {}),
    ("NVIDIA GeForce RTX 4080", "NVIDIA GeForce RTX 4080", "NVIDIA", "Ada Lovelace", "Consumer PCIe", "RTX 4080", {}),
    ("NVIDIA GeForce RTX 4090", "NVIDIA GeForce RTX 4090", "NVIDIA", "Ada Lovelace", "Consumer PCIe", "RTX 4090", {}),
    ("NVIDIA GeForce RTX 5090", None, "NVIDIA", "Blackwell", "Consumer PCIe", "RTX 5090",
     {"tdp_w": 575, "memory_gb": 32, "fp32": 104.8, "release_date": "2025-01-30",
      "vendor_url": "https://www.nvidia.com/en-us/geforce/graphics-cards/50-series/rtx-5090/"}),
    # --- AMD ---
    ("AMD Instinct MI100", "AMD Radeon Instinct MI100", "AMD", "CDNA", "PCIe", "MI100",
     {"memory_gb": 32, "vendor_url": "https://www.amd.com/en/products/accelerators/instinct/mi100.html"}),
    ("AMD Instinct MI210", "AMD Instinct MI210", "AMD", "CDNA 2", "PCIe", "MI210",
     {"tdp_w": 300, "memory_gb": 64, "fp32": 22.6, "release_date": "2022-03-22",
      "vendor_url": "https://www.amd.com/en/products/accelerators/instinct/mi200/mi210.html"}),
    ("AMD Instinct MI250", "AMD Radeon Instinct MI250", "AMD", "CDNA 2", "OAM", "MI250",
     {"memory_gb": 128, "tdp_max_w": 560,
      "vendor_url": "https://www.amd.com/en/products/accelerators/instinct/mi200/mi250.html"}),
    ("AMD Instinct MI250X", "AMD Radeon Instinct MI250X", "AMD", "CDNA 2", "OAM", "MI250X",
     {"tdp_max_w": 560, "vendor_url": "https://www.amd.com/en/products/accelerators/instinct/mi200/mi250x.html",
      "notes": "AMD lists 500 W TBP, 560 W peak"}),
    ("AMD Instinct MI300A", "AMD Instinct MI300A", "AMD", "CDNA 3", "APU (SH5)", "MI300A", {}),
    ("AMD Instinct MI300X", "AMD Instinct MI300X", "AMD", "CDNA 3", "OAM", "MI300X", {"fp8": 2614.9}),
    ("AMD Instinct MI325X", "AMD Instinct MI325X", "AMD", "CDNA 3", "OAM", "MI325X",
     {"bf16": 1307.4, "fp8": 2614.9, "vendor_url": "https://www.amd.com/en/products/accelerators/instinct/mi300/mi325x.html",
      "notes": "Epoch lists the dense FP16 matrix figure under FP16"}),
    ("AMD Instinct MI355X", "AMD Instinct MI355X", "AMD", "CDNA 4", "OAM", "MI355X",
     {"tdp_w": 1400, "release_date": "2025-06-12",
      "vendor_url": "https://www.amd.com/en/products/accelerators/instinct/mi350/mi355x.html"}),
    ("AMD Radeon RX 7900 XTX", "AMD Radeon RX 7900 XTX", "AMD", "RDNA 3", "Consumer PCIe", "RX 7900 XTX",
     {"tdp_w": 355, "vendor_url": "https://www.amd.com/en/products/graphics/desktops/radeon/7000-series/amd-radeon-rx-7900xtx.html",
      "notes": "355 W total board power per AMD; Epoch's full chip table has no TDP for it"}),
    # --- Google ---
    ("Google TPU v2", "Google TPU v2", "Google", "TPU", "TPU chip", "TPUv2|TPU v2 chip",
     {"notes": "Green Algorithms also gives 280 W; ML CO2 Impact gives 221 W, an average consumption (Patterson et al. 2021), not TDP"}),
    ("Google TPU v3", "Google TPU v3", "Google", "TPU", "TPU chip", "TPUv3|TPU v3 chip",
     {"tdp_w": 450, "vendor_url": "https://doi.org/10.1109/MM.2021.3058217",
      "notes": "TDP 450 W per chip per Google (Norrie et al. 2021, IEEE Micro, 'The Design Process for Google's Training Chips: TPUv2 and TPUv3', Table 1); Epoch and Green Algorithms give 220 W, below the 310 W average system power per chip Patterson et al. 2021 measured for T5 on TPU v3"}),
    ("Google TPU v4", "Google TPU v4", "Google", "TPU", "TPU chip", "TPUv4|TPU v4 chip",
     {"notes": "Green Algorithms also gives 170 W"}),
    ("Google TPU v4i", "Google TPU v4i", "Google", "TPU", "TPU chip", "TPUv4i", {}),
    ("Google TPU v5e", "Google TPU v5e", "Google", "TPU", "TPU chip", "TPUv5e|TPU v5 lite|TPU v5litepod", {}),
    ("Google TPU v5p", "Google TPU v5p", "Google", "TPU", "TPU chip", "TPUv5p|TPU v5",
     {"tdp_w": 284, "tdp_basis": "estimate",
      "notes": "Google publishes no TDP for v5p. Estimate: peak BF16 459 TFLOP/s at TPU v4's efficiency (275 TFLOP/s per 170 W)"}),
    ("Google TPU v6e", "Google TPU v6e Trillium", "Google", "TPU", "TPU chip", "TPUv6e|Trillium|TPU v6 lite",
     {"tdp_w": 391, "tdp_basis": "estimate",
      "notes": "Google publishes no TDP for v6e. Estimate: 918 TFLOP/s BF16 at v5e efficiency (197/140) x 1.67, Google's 'over 67% more energy-efficient than v5e'"}),
    ("Google TPU v7 Ironwood", "Google TPU v7 Ironwood", "Google", "TPU", "TPU chip", "TPU v7|Ironwood", {}),
    # --- Intel ---
    ("Intel Gaudi", "Intel Habana GAUDI HL-205", "Intel", "Gaudi", "OAM", "Habana Gaudi|Gaudi HL-205|Gaudi 1", {"memory_gb": 32}),
    ("Intel Gaudi 2", "Intel Habana Gaudi2", "Intel", "Gaudi", "OAM", "Habana Gaudi2|Gaudi2|HL-225", {}),
    ("Intel Gaudi 3", "Intel Habana Gaudi3", "Intel", "Gaudi", "OAM", "Habana Gaudi3|Gaudi3|HL-325", {}),
    ("Intel Data Center GPU Max 1100", "Intel Data Center GPU Max 1100", "Intel", "Ponte Vecchio", "PCIe", "GPU Max 1100", {}),
    ("Intel Data Center GPU Max 1550", "Intel Data Center GPU Max 1550", "Intel", "Ponte Vecchio", "OAM", "GPU Max 1550", {}),
    # --- AWS ---
    ("AWS Trainium", "Amazon Trainium1", "AWS", "Trainium", "Trn1 chip", "Trainium1|Trainium 1|trn1",
     {"tdp_w": 142, "tdp_basis": "estimate", "memory_gb": 32,
      "notes": "AWS publishes no chip TDP. Estimate: 190 TFLOP/s BF16 at Trainium2's efficiency (667 TFLOP/s per 500 W); memory 32 GB HBM per AWS Trn1 docs"}),
    ("AWS Trainium2", "Amazon Trainium2", "AWS", "Trainium", "Trn2 chip", "Trainium 2|trn2", {}),
    ("AWS Inferentia2", "AWS Inferentia2", "AWS", "Inferentia", "Inf2 chip", "Inferentia 2|inf2",
     {"tdp_w": 142, "tdp_basis": "estimate",
      "notes": "AWS publishes no chip TDP. Estimate: 190 TFLOP/s BF16 at Trainium2's efficiency (667 TFLOP/s per 500 W)"}),
    # --- others ---
    ("Huawei Ascend 910", "Huawei Ascend 910", "Huawei", "Ascend", "OAM", "Ascend 910", {"bf16": 256.0, "memory_gb": 32}),
    ("Huawei Ascend 910B", "Huawei Ascend 910B", "Huawei", "Ascend", "OAM", "Ascend 910B", {"bf16": 376.0}),
    ("Microsoft Maia 100", "Maia 100 (M100)", "Microsoft", "Maia", "Custom", "Maia 100|M100", {"memory_gb": 64}),
    ("Meta MTIA v2", "Meta MTIA v2", "Meta", "MTIA", "Custom", "MTIA v2", {}),
    ("Groq LPU v1", "GroqChip LPU v1", "Groq", "LPU", "PCIe", "GroqChip|Groq LPU", {}),
]

VENDOR_URL = "vendor_url"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--epoch", required=True, help="Epoch AI chip dataset CSV")
    args = parser.parse_args()
    epoch = {row["canonical_name"]: row for row in normalize_epoch(args.epoch)}
    fields = [
        "canonical_name", "vendor", "family", "form_factor", "tdp_w", "tdp_min_w", "tdp_max_w",
        "tdp_basis", "memory_gb", "die_area_mm2", "process_nm", "peak_fp32_tflops", "peak_tf32_tflops", "peak_bf16_fp16_tflops",
        "peak_fp8_tflops", "release_date", "embodied_kgco2e", "embodied_source", "aliases",
        "source", "source_url", "vintage", "licence", "notes",
    ]
    out = csv.DictWriter(sys.stdout, fieldnames=fields, lineterminator="\n")
    out.writeheader()
    key = {"fp32": "peak_fp32_tflops", "tf32": "peak_tf32_tflops", "bf16": "peak_bf16_fp16_tflops",
           "fp8": "peak_fp8_tflops"}
    for canonical, epoch_name, vendor, family, form, aliases, over in SPEC:
        if epoch_name and epoch_name not in epoch:
            raise SystemExit(f"Epoch row not found: {epoch_name!r}")
        base = dict(epoch[epoch_name]) if epoch_name else {}
        row = {f: base.get(f) for f in fields}
        row.update(canonical_name=canonical, vendor=vendor, family=family, form_factor=form,
                   aliases="|".join(filter(None, [epoch_name if epoch_name != canonical else None, aliases])))
        for k, v in over.items():
            if k in key:
                row[key[k]] = v
            elif k in fields:
                row[k] = v
        row["tdp_basis"] = over.get("tdp_basis", "vendor_tdp")
        sources, urls, licences = [], [], []
        if epoch_name:
            sources.append(EPOCH)
            urls.append(EPOCH_URL)
            licences.append(EPOCH_LICENCE)
        if VENDOR_URL in over:
            sources.append(f"{vendor} specification")
            urls.append(over[VENDOR_URL])
            licences.append(FACTS)
        if row["tdp_basis"] == "estimate":
            sources.append("TDP estimated by this project (method in notes)")
            licences.append("Apache-2.0 (this project)")
        row.update(source="; ".join(sources), source_url=" ".join(urls),
                   licence="; ".join(licences), vintage="2025")
        out.writerow({k: ("" if v is None else v) for k, v in row.items()})
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
