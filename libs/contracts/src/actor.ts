import { IsIn, IsString, Length, ValidateIf } from 'class-validator';

export const ROLES = ['user', 'host', 'admin', 'guest'] as const;
export type Role = (typeof ROLES)[number];

/** Who is asking: taken from a verified access token at the edge and passed along with every message. */
export class Actor {
  @IsString()
  @Length(26, 26)
  id!: string;

  @IsIn(ROLES)
  role!: Role;

  @ValidateIf((_, value) => value !== null)
  @IsString()
  username!: string | null;
}
