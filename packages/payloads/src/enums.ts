import type { DescEnum } from '@bufbuild/protobuf';
import { PayloadError, PayloadErrorCode } from './errors.js';

/**
 * Proto enums as string unions. A value this proto version does not know decodes to `'UNKNOWN'` (proto3
 * keeps unknown enum numbers; we keep the number beside the name, see `EnumField`), so a newer sender never
 * makes a decoder throw.
 */
export type EnumName<E extends Record<string, string | number>> = Extract<keyof E, string>;

/** The name of `value` in `desc`, or undefined for a number this proto version does not define. */
export function enumNameOf(desc: DescEnum, value: number): string | undefined {
  return desc.value[value]?.name;
}

/** The number of `name` in `desc`; ERR_PAYLOAD_INVALID_ARGUMENT for a name the enum does not have. */
export function enumValueOf(desc: DescEnum, name: string): number {
  let numbers = numbersByName.get(desc);
  if (numbers === undefined) {
    numbers = new Map(desc.values.map((value) => [value.name, value.number]));
    numbersByName.set(desc, numbers);
  }
  const number = numbers.get(name);
  if (number === undefined) {
    throw new PayloadError(
      PayloadErrorCode.InvalidArgument,
      `${JSON.stringify(name)} is not a value of ${desc.name}`,
      { details: { enum: desc.name, name } },
    );
  }
  return number;
}

const numbersByName = new WeakMap<DescEnum, Map<string, number>>();

/**
 * Maps a decoded enum number to its name, with `unknownName` (the enum's zero name, e.g.
 * `UNKNOWN_CONTENT_TYPE`) for numbers from a newer proto version.
 */
export function decodeEnum<Name extends string>(desc: DescEnum, value: number, unknownName: Name): Name {
  return (enumNameOf(desc, value) ?? unknownName) as Name;
}
