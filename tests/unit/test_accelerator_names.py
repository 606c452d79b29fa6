import pytest

from ingestion.sources.hardware.names import (
    AmbiguousAcceleratorError,
    UnknownAcceleratorError,
    name_key,
)



@pytest.mark.parametrize("spelling", ["A100-SXM4-80GB", "NVIDIA A100-SXM4-80GB", "a100 80gb sxm",
                                      "NVIDIA A100 SXM4 80 GB"])
def test_every_spelling_of_the_a100_sxm_80gb_resolves_to_one_entry(resolver, spelling):
    assert resolver.resolve(spelling) == "NVIDIA A100 SXM4 80GB"


@pytest.mark.parametrize(("printed", "canonical"), [
    ("NVIDIA H100 80GB HBM3", "NVIDIA H100 SXM5 80GB"),  # how nvidia-smi names the H100 SXM
    ("Tesla V100-SXM2-16GB", "NVIDIA Tesla V100 SXM2 16GB"),
    ("NVIDIA A100-PCIE-40GB", "NVIDIA A100 PCIe 40GB"),
    ("Tesla T4", "NVIDIA Tesla T4"),
    ("NVIDIA GeForce RTX 3080", "NVIDIA GeForce RTX 3080"),
    ("NVIDIA A10G", "NVIDIA A10G"),
])
def test_nvidia_smi_names_resolve(resolver, printed, canonical):
    assert resolver.resolve(printed) == canonical


def test_unknown_name_lists_the_closest_known_names(resolver):
    with pytest.raises(UnknownAcceleratorError) as error:
        resolver.resolve("RTX 3070")
    message = str(error.value)
    assert "unknown accelerator 'RTX 3070'" in message
    assert "NVIDIA GeForce RTX 3080" in message


def test_a_name_shared_by_several_parts_is_ambiguous_not_guessed(resolver):
    with pytest.raises(AmbiguousAcceleratorError) as error:
        resolver.resolve("A100")
    assert "NVIDIA A100 SXM4 40GB" in str(error.value) and "NVIDIA A100 PCIe 80GB" in str(error.value)


def test_name_key_ignores_order_case_branding_and_interface_generation():
    assert name_key("NVIDIA Tesla V100-SXM2-32GB") == name_key("v100 32 GB sxm")
    assert name_key("H100 PCIe") != name_key("H100 SXM")


def test_a_name_inside_a_longer_name_is_not_completed_silently(resolver):
    with pytest.raises(UnknownAcceleratorError) as error:
        resolver.resolve("RTX 2080")  # the catalog has only the 2080 Ti
    assert "NVIDIA GeForce RTX 2080 Ti" in str(error.value)


@pytest.mark.parametrize(("name", "default", "alternatives"), [
    ("H100", "NVIDIA H100 SXM5 80GB", {"NVIDIA H100 PCIe", "NVIDIA H100 NVL"}),
    ("A100 80GB", "NVIDIA A100 SXM4 80GB", {"NVIDIA A100 PCIe 80GB"}),
])
def test_a_default_among_several_parts_is_stated_with_its_alternatives(resolver, name, default, alternatives):
    canonical, note = resolver.resolve_explained(name)
    assert canonical == default and f"taken as {default}" in note
    assert all(a in note for a in alternatives)
    assert resolver.resolve_explained("NVIDIA H100 PCIe") == ("NVIDIA H100 PCIe", None)  # an exact name: no note
