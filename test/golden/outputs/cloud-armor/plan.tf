# serverless-lb: Terraform configuration for load balancer "armor-lb" in project "demo-project".
# Secrets are not in this file: set the sensitive variables below from their files or environment.

terraform {
  required_providers {
    google = {
      source = "hashicorp/google"
    }
  }
}

variable "project" {
  description = "Google Cloud project that holds the load balancer"
  type        = string
  default     = "demo-project"
}

provider "google" {
  project = var.project
}

# external IP address of the load balancer
resource "google_compute_global_address" "armor_lb_ip" {
  name         = "armor-lb-ip"
  description  = "[serverless-lb:armor-lb] external IP address of the load balancer"
  address_type = "EXTERNAL"
  ip_version   = "IPV4"
  labels       = {
    "serverless-lb" = "armor-lb"
  }
}

# Google-managed certificate for the HTTPS proxy
resource "google_compute_managed_ssl_certificate" "armor_lb_cert" {
  name        = "armor-lb-cert"
  description = "[serverless-lb:armor-lb] Google-managed certificate for the HTTPS proxy"

  managed {
    domains = ["www.example.com", "api.example.com"]
  }
}

# Cloud Armor policy of the backend services
resource "google_compute_security_policy" "armor_lb_armor" {
  name        = "armor-lb-armor"
  description = "[serverless-lb:armor-lb] Cloud Armor policy of the backend services"
  type        = "CLOUD_ARMOR"
  labels      = {
    "serverless-lb" = "armor-lb"
  }

  rule {
    action      = "deny(403)"
    priority    = 100
    description = "block a known bad range"

    match {
      versioned_expr = "SRC_IPS_V1"

      config {
        src_ip_ranges = ["198.51.100.0/24"]
      }
    }
  }

  rule {
    action      = "throttle"
    priority    = 1000
    description = "100 requests per minute per client IP"

    match {
      versioned_expr = "SRC_IPS_V1"

      config {
        src_ip_ranges = ["*"]
      }
    }

    rate_limit_options {
      conform_action = "allow"
      exceed_action  = "deny(429)"
      enforce_on_key = "IP"

      rate_limit_threshold {
        count        = 100
        interval_sec = 60
      }
    }
  }

  rule {
    action      = "allow"
    priority    = 2147483647
    description = "default rule"

    match {
      versioned_expr = "SRC_IPS_V1"

      config {
        src_ip_ranges = ["*"]
      }
    }
  }
}

# serverless NEG in europe-west1 for backend web: Cloud Run service web
resource "google_compute_region_network_endpoint_group" "armor_lb_web_neg_europe_west1" {
  name                  = "armor-lb-web-neg-europe-west1"
  region                = "europe-west1"
  description           = "[serverless-lb:armor-lb] serverless NEG in europe-west1 for backend web: Cloud Run service web"
  network_endpoint_type = "SERVERLESS"

  cloud_run {
    service = "web"
  }
}

# serverless NEG in europe-west1 for backend api: Cloud Run service api
resource "google_compute_region_network_endpoint_group" "armor_lb_api_neg_europe_west1" {
  name                  = "armor-lb-api-neg-europe-west1"
  region                = "europe-west1"
  description           = "[serverless-lb:armor-lb] serverless NEG in europe-west1 for backend api: Cloud Run service api"
  network_endpoint_type = "SERVERLESS"

  cloud_run {
    service = "api"
  }
}

# backend service for backend web
resource "google_compute_backend_service" "armor_lb_web_bs" {
  name                  = "armor-lb-web-bs"
  description           = "[serverless-lb:armor-lb] backend service for backend web"
  load_balancing_scheme = "EXTERNAL_MANAGED"
  protocol              = "HTTP"
  enable_cdn            = false
  security_policy       = google_compute_security_policy.armor_lb_armor.id

  backend {
    group = google_compute_region_network_endpoint_group.armor_lb_web_neg_europe_west1.id
  }

  log_config {
    enable      = true
    sample_rate = 1
  }
}

# backend service for backend api
resource "google_compute_backend_service" "armor_lb_api_bs" {
  name                  = "armor-lb-api-bs"
  description           = "[serverless-lb:armor-lb] backend service for backend api"
  load_balancing_scheme = "EXTERNAL_MANAGED"
  protocol              = "HTTP"
  enable_cdn            = false
  security_policy       = google_compute_security_policy.armor_lb_armor.id

  backend {
    group = google_compute_region_network_endpoint_group.armor_lb_api_neg_europe_west1.id
  }

  log_config {
    enable      = true
    sample_rate = 1
  }
}

# URL map: routes hosts and paths to the backend services
resource "google_compute_url_map" "armor_lb_urlmap" {
  name            = "armor-lb-urlmap"
  description     = "[serverless-lb:armor-lb] URL map: routes hosts and paths to the backend services"
  default_service = google_compute_backend_service.armor_lb_web_bs.id

  host_rule {
    hosts        = ["api.example.com"]
    path_matcher = "hosts-1"
  }

  path_matcher {
    name            = "hosts-1"
    default_service = google_compute_backend_service.armor_lb_api_bs.id
  }
}

# URL map that redirects HTTP to HTTPS
resource "google_compute_url_map" "armor_lb_redirect_urlmap" {
  name        = "armor-lb-redirect-urlmap"
  description = "[serverless-lb:armor-lb] URL map that redirects HTTP to HTTPS"

  default_url_redirect {
    https_redirect         = true
    redirect_response_code = "MOVED_PERMANENTLY_DEFAULT"
    strip_query            = false
  }
}

# HTTPS proxy: terminates TLS
resource "google_compute_target_https_proxy" "armor_lb_https_proxy" {
  name             = "armor-lb-https-proxy"
  description      = "[serverless-lb:armor-lb] HTTPS proxy: terminates TLS"
  url_map          = google_compute_url_map.armor_lb_urlmap.id
  ssl_certificates = [google_compute_managed_ssl_certificate.armor_lb_cert.id]
}

# HTTP proxy that redirects to HTTPS
resource "google_compute_target_http_proxy" "armor_lb_http_proxy" {
  name        = "armor-lb-http-proxy"
  description = "[serverless-lb:armor-lb] HTTP proxy that redirects to HTTPS"
  url_map     = google_compute_url_map.armor_lb_redirect_urlmap.id
}

# HTTPS forwarding rule on port 443
resource "google_compute_global_forwarding_rule" "armor_lb_https_fr" {
  name                  = "armor-lb-https-fr"
  description           = "[serverless-lb:armor-lb] HTTPS forwarding rule on port 443"
  load_balancing_scheme = "EXTERNAL_MANAGED"
  ip_protocol           = "TCP"
  port_range            = "443"
  ip_address            = google_compute_global_address.armor_lb_ip.id
  target                = google_compute_target_https_proxy.armor_lb_https_proxy.id
  network_tier          = "PREMIUM"
  labels                = {
    "serverless-lb" = "armor-lb"
  }
}

# HTTP (redirect) forwarding rule on port 80
resource "google_compute_global_forwarding_rule" "armor_lb_http_fr" {
  name                  = "armor-lb-http-fr"
  description           = "[serverless-lb:armor-lb] HTTP (redirect) forwarding rule on port 80"
  load_balancing_scheme = "EXTERNAL_MANAGED"
  ip_protocol           = "TCP"
  port_range            = "80"
  ip_address            = google_compute_global_address.armor_lb_ip.id
  target                = google_compute_target_http_proxy.armor_lb_http_proxy.id
  network_tier          = "PREMIUM"
  labels                = {
    "serverless-lb" = "armor-lb"
  }
}

# let allUsers invoke Cloud Run service web in europe-west1 (the load balancer's requests)
resource "google_cloud_run_v2_service_iam_member" "web" {
  project    = var.project
  location   = "europe-west1"
  name       = "web"
  role       = "roles/run.invoker"
  member     = "allUsers"
  depends_on = [
    google_compute_global_forwarding_rule.armor_lb_https_fr,
    google_compute_global_forwarding_rule.armor_lb_http_fr,
  ]
}

# let allUsers invoke Cloud Run service api in europe-west1 (the load balancer's requests)
resource "google_cloud_run_v2_service_iam_member" "api" {
  project    = var.project
  location   = "europe-west1"
  name       = "api"
  role       = "roles/run.invoker"
  member     = "allUsers"
  depends_on = [
    google_compute_global_forwarding_rule.armor_lb_https_fr,
    google_compute_global_forwarding_rule.armor_lb_http_fr,
  ]
}

# Cloud Run service web (europe-west1): not managed by this configuration.
# restrict ingress of Cloud Run service web in europe-west1 to internal traffic and Cloud Load Balancing. Restrict its ingress so the run.app URL cannot bypass the load balancer:
#   gcloud run services update web --region=europe-west1 --ingress=internal-and-cloud-load-balancing --project=demo-project

# Cloud Run service api (europe-west1): not managed by this configuration.
# restrict ingress of Cloud Run service api in europe-west1 to internal traffic and Cloud Load Balancing. Restrict its ingress so the run.app URL cannot bypass the load balancer:
#   gcloud run services update api --region=europe-west1 --ingress=internal-and-cloud-load-balancing --project=demo-project
