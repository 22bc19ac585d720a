"""Heat lost from the district-heating pipes, per segment and service pipe, from DN and insulation.

A pipe pair in the ground loses, per trench metre,

    q = (T_supply + T_return − 2 T_ground) / R          (W/m)

with R the thermal resistance of the pair (m·K/W):

* a **twin pipe** (both medium pipes in one casing, DN up to ``pipes.twin_max_dn``): Wallentén's
  symmetric resistance with its first multipole correction (Wallentén 1991, as used by
  Kristjansson & Bøhm 2006 and EN 13941)::

      R = [ 2λi/λg · ln(2H/rc) + ln(rc² / (2 e ro)) + σ ln(rc⁴ / (rc⁴ − e⁴))
            − (ro/(2e) − σ 2 ro e³/(rc⁴ − e⁴))² / (1 + (ro/(2e))² + σ (2 ro rc² e/(rc⁴ − e⁴))²) ]
          / (2π λi)

  ro the steel pipe's outer radius, rc the casing radius, e half the distance between the pipe
  centres (pipe diameter + gap), H the depth of the casing centre, σ = (λi − λg)/(λi + λg);
* **two single pipes** (larger DN), each in its own casing, side by side (EN 13941's
  superposition)::

      R = ln(4H/Dc)/(2π λg) + ln(Dc/Do)/(2π λi) + ln(1 + (2H/E)²)/(4π λg)

  E the distance between the pipe centres (casing + gap).

Temperatures are annual means (``network.*_temperature_c``); the pipes are warm
``network.hours_per_year``; dimensions and conductivities are ``pipes.*``. The loss is a fixed
amount per metre: the fewer MWh a district sells per metre, the larger its share lost.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from heatplan.core.errors import ScenarioError
from heatplan.core.scenario import Scenario


def twin_pipe_resistance(outer_d_m: float, casing_d_m: float, gap_m: float, depth_m: float,
                         lambda_i: float, lambda_g: float) -> float:
    """Symmetric thermal resistance of a buried twin pipe, m·K/W (see the module).

    ``depth_m`` is the depth of the casing's centre; ``gap_m`` the distance between the two
    medium pipes' walls.
    """
    ro, rc = outer_d_m / 2, casing_d_m / 2
    e = (gap_m + outer_d_m) / 2
    s = (lambda_i - lambda_g) / (lambda_i + lambda_g)
    c4 = rc**4 - e**4
    h_inv = (2 * lambda_i / lambda_g * np.log(2 * depth_m / rc) + np.log(rc**2 / (2 * e * ro))
             + s * np.log(rc**4 / c4)
             - (ro / (2 * e) - s * 2 * ro * e**3 / c4) ** 2
             / (1 + (ro / (2 * e)) ** 2 + s * (2 * ro * rc**2 * e / c4) ** 2))
    return float(h_inv / (2 * np.pi * lambda_i))


def single_pair_resistance(outer_d_m: float, casing_d_m: float, centre_distance_m: float,
                           depth_m: float, lambda_i: float, lambda_g: float) -> float:
    """Resistance of two buried single pipes side by side, m·K/W, for their summed loss."""
    r_ground = np.log(4 * depth_m / casing_d_m) / (2 * np.pi * lambda_g)
    r_insulation = np.log(casing_d_m / outer_d_m) / (2 * np.pi * lambda_i)
    r_mutual = np.log(1 + (2 * depth_m / centre_distance_m) ** 2) / (4 * np.pi * lambda_g)
    return float(r_ground + r_insulation + r_mutual)


def loss_table(scenario: Scenario) -> pd.DataFrame:
    """Heat loss of each standard pipe: index ``dn``; ``resistance_m_k_w``, ``loss_w_per_m``.

    Raises
    ------
    ScenarioError
        If the dimension lists do not have one value per DN, or the insulation series has no
        casing diameters.
    """
    p = scenario.section("pipes")
    dn = np.asarray(p["dn"], dtype=int)
    series = str(int(p["insulation_series"]))
    casings = scenario.value("pipes.casing_diameter_mm")
    if series not in {str(k) for k in casings}:
        msg = (f"Scenario pipes.insulation_series is {series}; pipes.casing_diameter_mm has "
               f"series {', '.join(map(str, casings))}.")
        raise ScenarioError(msg)
    casing = dict(casings.items())[next(k for k in casings if str(k) == series)]
    for key, values in (("outer_diameter_mm", p["outer_diameter_mm"]), ("twin_gap_mm",
                        p["twin_gap_mm"]), (f"casing_diameter_mm.{series}", casing)):
        if len(values) != len(dn):
            msg = (f"Scenario pipes.{key} has {len(values)} values but pipes.dn has {len(dn)}; "
                   "give one value per DN.")
            raise ScenarioError(msg)
    lam_i, lam_g = float(p["insulation_conductivity_w_mk"]), float(p["soil_conductivity_w_mk"])
    cover = float(p["cover_depth_m"])
    resistance = []
    for d, do, dc, gap in zip(dn, p["outer_diameter_mm"], casing, p["twin_gap_mm"], strict=True):
        do, dc, gap = do / 1000, dc / 1000, gap / 1000
        depth = cover + dc / 2
        if d <= int(p["twin_max_dn"]):
            resistance.append(twin_pipe_resistance(do, dc, gap, depth, lam_i, lam_g))
        else:
            resistance.append(single_pair_resistance(do, dc, dc + gap, depth, lam_i, lam_g))
    table = pd.DataFrame({"resistance_m_k_w": resistance}, index=pd.Index(dn, name="dn"))
    table["loss_w_per_m"] = temperature_lift_k(scenario) / table["resistance_m_k_w"]
    return table


def temperature_lift_k(scenario: Scenario) -> float:
    """T_supply + T_return − 2 T_ground, K (annual means)."""
    return (float(scenario.value("network.supply_temperature_c"))
            + float(scenario.value("network.return_temperature_c"))
            - 2 * float(scenario.value("network.ground_temperature_c")))


def heat_loss_mwh_a(dn: np.ndarray | pd.Series, length_m: np.ndarray | pd.Series, *,
                    scenario: Scenario) -> np.ndarray:
    """Yearly heat loss of pipes of the given DN and length, MWh/a.

    Raises
    ------
    ScenarioError
        If a DN is not one of ``pipes.dn``.
    """
    table = loss_table(scenario)
    dn = np.asarray(dn, dtype=int)
    unknown = sorted(set(dn.tolist()) - set(table.index.tolist()))
    if unknown:
        msg = f"Pipes of DN {unknown} have no heat loss: pipes.dn lists {table.index.tolist()}."
        raise ScenarioError(msg)
    w_per_m = table["loss_w_per_m"].reindex(dn).to_numpy()
    hours = float(scenario.value("network.hours_per_year"))
    return w_per_m * np.asarray(length_m, dtype=float) * hours / 1e6
