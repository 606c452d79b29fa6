-- Every zone the warehouse prices in: countries, sub-national zones and the world
-- (intermediate/grid/int_grid_zones.sql, which the pricing models read).
select * from {{ ref('int_grid_zones') }}
