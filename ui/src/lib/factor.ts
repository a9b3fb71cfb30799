import type { FactorDto } from '../bindings/FactorDto';
import { num } from './format';

/** "0.5703 kg CO₂e / kWh", or the gases when the factor states them one by one. */
export function factorValue(f: FactorDto): string {
  if (f.co2ePerUnit) return `${num(f.co2ePerUnit)} kg CO₂e / ${f.unit}`;
  const gases = f.gases.map((g) => `${g.gas} ${num(g.kgPerUnit)} kg`).join(', ');
  return gases ? `${gases} / ${f.unit}` : f.unit;
}
