import { OnceHubClient } from "@oncekey/core";
import { TenantClient } from "@oncekey/nestjs";
import { Controller, Get, Param } from "@nestjs/common";

/** `/tenants/:tenant/…`: each route calls OnceHub with that tenant's key. */
@Controller("tenants/:tenant")
export class TenantsController {
  @Get("account")
  async account(@Param("tenant") tenant: string, @TenantClient() oncehub: OnceHubClient) {
    const { account } = await oncehub.test();
    return { tenant, account };
  }

  @Get("bookings")
  async bookings(@Param("tenant") tenant: string, @TenantClient() oncehub: OnceHubClient) {
    const page = await oncehub.bookings.page({ limit: 5 });
    return { tenant, bookings: page.data.map((booking) => booking.id) };
  }
}
